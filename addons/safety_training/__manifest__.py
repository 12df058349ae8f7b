{
    "name": "School Safety Training and Drills",
    "summary": "Safety trainings and emergency drills with compliance by school type",
    "version": "18.0.1.1.0",
    "category": "Human Resources/School Safety",
    "website": "https://github.com/school-safety/school-safety",
    "author": "School Safety contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["safety_inspection"],
    "data": [
        "security/ir.model.access.csv",
        "security/safety_training_security.xml",
        "data/ir_sequence_data.xml",
        "data/safety_drill_requirement_data.xml",
        "views/safety_training_menus.xml",
        "report/safety_drill_reports.xml",
        "views/safety_drill_views.xml",
        "views/safety_training_views.xml",
        "views/hr_employee_views.xml",
        "views/safety_drill_compliance_views.xml",
        "views/safety_drill_requirement_views.xml",
        "views/safety_school_scorecard_views.xml",
        "data/safety_scorecard_data.xml",
    ],
    "demo": [
        "demo/safety_training_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "safety_training/static/tests/tours/**/*",
        ],
    },
}
