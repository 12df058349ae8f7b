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
        "security/safety_patrol_security.xml",
        "data/ir_sequence_data.xml",
        "data/safety_patrol_data.xml",
        "views/safety_inspection_menus.xml",
        "views/safety_hazard_views.xml",
        "views/safety_patrol_checkpoint_views.xml",
        "views/safety_patrol_route_views.xml",
        "views/safety_patrol_schedule_views.xml",
        "views/safety_patrol_round_views.xml",
        "views/safety_patrol_scan_views.xml",
        "views/safety_patrol_guard_views.xml",
        "report/safety_patrol_checkpoint_label.xml",
        "report/safety_patrol_report.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "safety_inspection/static/src/patrol/**/*",
        ],
        "web.assets_tests": [
            "safety_inspection/static/tests/tours/patrol_*.js",
        ],
    },
}
