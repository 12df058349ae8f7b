import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("school_safety_bureau_overview", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the School Safety app",
            trigger: '.o_app[data-menu-xmlid="school_safety.school_safety_menu_root"]',
            run: "click",
        },
        {
            content: "Every school of the bureau is on the overview, with only the bureau active",
            trigger: '.o_kanban_record:contains("Test Primary School A")',
        },
        {
            trigger: '.o_kanban_record:contains("Test Junior School B")',
        },
        {
            content: "School A is one guard short",
            trigger: '.o_kanban_record:contains("Test Primary School A") .badge.text-bg-danger',
        },
        {
            content: "Filter the schools missing guards",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .o_menu_item:contains("Guards Missing")',
            run: "click",
        },
        {
            content: "School B is fully staffed and disappears",
            trigger: '.o_kanban_view:not(:has(.o_kanban_record:contains("Test Junior School B")))',
        },
        {
            content: "Open school A",
            trigger: '.o_kanban_record:contains("Test Primary School A")',
            run: "click",
        },
        {
            content: "The form shows the shortfall ribbon",
            trigger: '.o_form_view .ribbon:contains("Guards missing")',
        },
        {
            content: "Record one contracted guard",
            trigger: 'div[name="safety_guards_contracted"] input',
            run: "edit 1",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The shortfall is gone",
            trigger: '.o_form_view:not(:has(.ribbon:contains("Guards missing")))',
        },
    ],
});
