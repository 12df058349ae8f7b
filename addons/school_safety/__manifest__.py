{
    "name": "School Safety",
    "summary": "Schools as companies of an education bureau, safety roles, "
    "responsibility letters and the ground the other safety addons build on",
    "version": "18.0.1.2.0",
    "category": "Human Resources/School Safety",
    "website": "https://github.com/school-safety/school-safety",
    "author": "School Safety contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["hr", "portal", "report_xlsx", "base_tier_validation"],
    "data": [
        "security/school_safety_security.xml",
        "security/ir.model.access.csv",
        "views/school_safety_menus.xml",
        "views/res_company_views.xml",
        "views/hr_employee_views.xml",
        "data/safety_letter_template_data.xml",
        "data/safety_letter_data.xml",
        "views/safety_student_views.xml",
        "views/safety_letter_template_views.xml",
        "views/safety_letter_campaign_views.xml",
        "views/safety_letter_views.xml",
        "views/safety_letter_portal_templates.xml",
        "report/safety_letter_reports.xml",
        "wizard/safety_letter_sign_wizard_views.xml",
    ],
    "demo": [
        "demo/school_safety_demo.xml",
        "demo/safety_student_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "school_safety/static/tests/tours/**/*",
        ],
    },
}
