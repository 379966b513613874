{
    "name": "Argentina - TusFacturas.app electronic invoicing",
    "summary": "Issue AFIP/ARCA electronic invoices, credit and debit notes "
    "through the TusFacturas.app API",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "countries": ["ar"],
    "author": "l10n_ar_tusfacturas contributors",
    "website": "https://www.tusfacturas.app",
    "license": "LGPL-3",
    "depends": ["l10n_ar", "account_debit_note"],
    "external_dependencies": {
        "python": ["requests", "qrcode", "python-stdnum"],
    },
    "data": [
        "security/l10n_ar_tusfacturas_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_cron_queue_data.xml",
        # Wizards first: the views' buttons refer to their actions.
        "wizards/account_move_reversal_views.xml",
        "wizards/account_debit_note_views.xml",
        "wizards/l10n_ar_tusfacturas_next_number_views.xml",
        "wizards/l10n_ar_tusfacturas_padron_views.xml",
        "wizards/l10n_ar_tusfacturas_customer_account_views.xml",
        "wizards/l10n_ar_tusfacturas_reference_check_line_views.xml",
        "wizards/l10n_ar_tusfacturas_reference_check_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_journal_views.xml",
        "views/account_move_views.xml",
        "views/account_tax_views.xml",
        "views/account_move_queue_views.xml",
        "views/res_partner_views.xml",
        "views/report_invoice.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/l10n_ar_tusfacturas_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "l10n_ar_tusfacturas/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
