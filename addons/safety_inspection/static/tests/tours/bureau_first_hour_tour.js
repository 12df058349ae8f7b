import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The bureau manager's first hour, in a browser with no company cookie: every school of the
// bureau is active at once, the ledger lists the schools' hazards, the campaign generates.
registry.category("web_tour.tours").add("safety_bureau_first_hour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The bureau manager lands on the overview of the bureau's schools",
            trigger: '.o_kanban_record:contains("Test Primary School A")',
        },
        {
            trigger: '.o_kanban_record:contains("Test Junior School B")',
        },
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the School Safety app",
            trigger: '.o_app[data-menu-xmlid="school_safety.school_safety_menu_root"]',
            run: "click",
        },
        {
            content: "Open the hazard ledger",
            trigger: '.o_menu_sections [data-menu-xmlid="school_safety.school_safety_menu_operations"]',
            run: "click",
        },
        {
            trigger: '.dropdown-menu [data-menu-xmlid="safety_inspection.safety_hazard_menu"]',
            run: "click",
        },
        {
            content: "The ledger lists the hazards of both schools",
            trigger: '.o_list_view .o_data_row:contains("First hour hazard A")',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("First hour hazard B")',
        },
        {
            content: "Open the letter campaigns",
            trigger: '.o_menu_sections [data-menu-xmlid="school_safety.school_safety_menu_operations"]',
            run: "click",
        },
        {
            trigger: '.dropdown-menu [data-menu-xmlid="school_safety.safety_letter_campaign_menu"]',
            run: "click",
        },
        {
            trigger: '.o_data_row .o_data_cell:contains("First hour campaign")',
            run: "click",
        },
        {
            content: "Generate the letters of every school",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_generate"]',
            run: "click",
        },
        {
            content: "The campaign is generated",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Generated")',
        },
        {
            content: "Both schools are done",
            trigger: '.o_form_view .o_field_widget[name="school_done_count"]:contains("2")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="school_count"]:contains("2")',
        },
    ],
});
