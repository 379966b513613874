-- A neutralized copy of a production database must never issue comprobantes.
UPDATE res_company
   SET l10n_ar_tusfacturas_apikey = NULL,
       l10n_ar_tusfacturas_apitoken = NULL,
       l10n_ar_tusfacturas_usertoken = NULL;
UPDATE account_journal
   SET l10n_ar_tusfacturas_usertoken = NULL;
UPDATE res_company
   SET l10n_ar_tusfacturas_webhook_token = NULL;
