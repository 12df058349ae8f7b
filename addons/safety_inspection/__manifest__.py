{
    "name": "School Safety Inspections",
    "summary": "Quarterly inspections, self-checks, the hazard ledger with "
    "rectification through approval tiers, and electronic guard patrols",
    "version": "18.0.1.0.0",
    "category": "Human Resources/School Safety",
    "website": "https://github.com/school-safety/school-safety",
    "author": "School Safety contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["school_safety", "base_tier_validation", "report_xlsx"],
    "data": [
        "security/ir.model.access.csv",
        "security/safety_inspection_security.xml",
        "data/ir_sequence_data.xml",
        "views/safety_inspection_menus.xml",
        "views/safety_hazard_views.xml",
        "data/safety_inspection_data.xml",
        "data/safety_inspection_template_data.xml",
        "views/safety_inspection_template_views.xml",
        "views/safety_inspection_views.xml",
        "report/safety_hazard_reports.xml",
        "wizard/safety_hazard_ledger_wizard_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "safety_inspection/static/tests/tours/safety_inspection_tour.js",
        ],
    },
    "demo": [
        "demo/safety_inspection_demo.xml",
    ],
}
