import { formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

// The bureau's command view as its users go through it: a school reports an incident and the
// bureau acknowledges it, the bureau reads the scorecard down to the records behind a figure,
// a school files its monthly report and the bureau acknowledges it.

function openMenu(sectionXmlid, menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the School Safety app",
            trigger: '.o_app[data-menu-xmlid="school_safety.school_safety_menu_root"]',
            run: "click",
        },
        {
            trigger: `.o_menu_sections [data-menu-xmlid="${sectionXmlid}"]`,
            run: "click",
        },
        {
            trigger: `.dropdown-menu [data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

function openIncidents() {
    return openMenu("school_safety.school_safety_menu_operations", "school_safety.safety_incident_menu");
}

function openMonthlyReports() {
    return openMenu("school_safety.school_safety_menu_reporting", "school_safety.safety_monthly_report_menu");
}

// School A's report of last month, in the state given, opened from the list
function openReportOfSchoolA(state) {
    return [
        ...openMonthlyReports(),
        {
            content: `School A's report of last month is ${state}`,
            trigger: `.o_list_view .o_data_row:contains("Test Primary School A"):contains("${state}") .o_data_cell[name="company_id"]`,
            run: "click",
        },
        {
            trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains("${state}")`,
        },
        {
            content: "The figures of the month are on the report",
            trigger: '.o_form_view .o_field_widget[name="sections_html"]:contains("Incidents")',
        },
        {
            content: "Open the school's part of the report",
            trigger: '.o_form_view .o_notebook a[name="school"]',
            run: "click",
        },
    ];
}

// Type ``text`` into the text field ``field`` of the form
function editText(content, field, text) {
    return { content, trigger: `.o_form_view div[name="${field}"] textarea`, run: `edit ${text}` };
}

const INCIDENT_ROW = '.o_list_view .o_data_row:contains("Tour: science lab")';

registry.category("web_tour.tours").add("school_safety_incident_report", {
    url: "/odoo",
    steps: () => [
        ...openIncidents(),
        {
            content: "Report a new incident",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The school is told the bureau hears of it on saving",
            trigger: '.o_form_view .alert-info:contains("the bureau is told as soon as you save")',
        },
        {
            content: "When it happened",
            trigger: '.o_form_view div[name="occurred_at"] input',
            // yesterday morning, in the user's own date format
            run: `edit ${formatDateTime(DateTime.now().minus({ days: 1 }).set({ hour: 9, minute: 30, second: 0 }))}`,
        },
        {
            content: "Where",
            trigger: '.o_form_view div[name="location"] input',
            run: "edit Tour: science lab",
        },
        {
            content: "What kind of incident",
            trigger: '.o_form_view div[name="category"] select',
            run: "selectByLabel Accident or Disaster",
        },
        {
            content: "Two pupils were hurt",
            trigger: '.o_form_view div[name="injured_count"] input',
            run: "edit 2",
        },
        editText("What happened", "description", "A beaker broke during the experiment."),
        editText("What was done", "measures_taken", "First aid by the nurse, parents called."),
        {
            content: "Report it",
            trigger: '.o_form_view .o_statusbar_buttons button.o_safety_incident_report:contains("Report to the Bureau")',
            run: "click",
        },
        {
            content: "The report is saved and kept as it was made",
            trigger: '.o_form_view .o_form_saved .o_statusbar_status .o_arrow_button_current:contains("Reported")',
        },
        {
            trigger: ".o_form_view:not(:has(button.o_safety_incident_report))",
        },
        {
            trigger: '.o_form_view div[name="location"]:not(:has(input)):contains("Tour: science lab")',
        },
    ],
});

registry.category("web_tour.tours").add("school_safety_incident_acknowledge", {
    url: "/odoo",
    steps: () => [
        ...openIncidents(),
        {
            content: "The school's incident waits for the bureau",
            trigger: `${INCIDENT_ROW}:contains("Test Primary School A"):contains("Reported") .o_data_cell[name="location"]`,
            run: "click",
        },
        {
            content: "Acknowledge it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_acknowledge"]',
            run: "click",
        },
        {
            content: "The bureau has acknowledged it",
            trigger: '.o_form_view .o_statusbar_status .o_arrow_button_current:contains("Acknowledged by the Bureau")',
        },
        {
            trigger: '.o_form_view:not(:has(.o_statusbar_buttons button[name="action_acknowledge"]))',
        },
        {
            trigger: '.o_form_view div[name="acknowledged_by_id"]:contains("t_manager")',
        },
    ],
});

registry.category("web_tour.tours").add("school_safety_scorecard", {
    url: "/odoo",
    steps: () => [
        ...openMenu("school_safety.school_safety_menu_reporting", "school_safety.safety_school_scorecard_menu"),
        {
            content: "The scorecard shows this month's row of each school",
            trigger: '.o_list_view .o_data_row:contains("Test Junior School B")',
        },
        {
            content: "School A had one incident this month",
            trigger: '.o_list_view .o_data_row:contains("Test Primary School A") .o_data_cell[name="incident_count"]:contains("1")',
        },
        {
            content: "Open school A's row",
            trigger: '.o_list_view .o_data_row:contains("Test Primary School A") .o_data_cell[name="company_id"]',
            run: "click",
        },
        {
            content: "Open the incidents behind the figure",
            trigger: '.o_form_view button[name="action_open_incidents"]:contains("1")',
            run: "click",
        },
        {
            content: "The incident of the month is listed, and only it",
            trigger: '.o_list_view .o_data_row:contains("Scorecard: playground")',
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))",
        },
        {
            content: "Back to the scorecard through the breadcrumbs",
            trigger: '.o_breadcrumb .breadcrumb-item:first-child a:contains("School Scorecard")',
            run: "click",
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Test Primary School A")',
        },
    ],
});

registry.category("web_tour.tours").add("school_safety_monthly_report_write", {
    url: "/odoo",
    steps: () => [
        ...openReportOfSchoolA("Draft"),
        editText("The problems still open", "open_problems", "The fence behind the gym is too low."),
        editText("Next month's plan", "next_month_plan", "Raise the fence; fire drill on the 10th."),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved; the principal submits it, not the officer",
            trigger: '.o_form_view .o_form_saved:not(:has(button[name="action_submit"]))',
        },
    ],
});

registry.category("web_tour.tours").add("school_safety_monthly_report_submit", {
    url: "/odoo",
    steps: () => [
        ...openReportOfSchoolA("Draft"),
        {
            content: "The officer's problems and plan are there",
            trigger: '.o_form_view div[name="open_problems"] textarea:value("The fence behind the gym is too low.")',
        },
        editText("The principal adds a comment", "school_comment", "Checked and approved."),
        {
            content: "Submit it to the bureau",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_submit"]:contains("Submit to the Bureau")',
            run: "click",
        },
        {
            content: "Confirm: once submitted, it no longer changes",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Submitted, and no longer editable",
            trigger: '.o_form_view .o_statusbar_status .o_arrow_button_current:contains("Submitted")',
        },
        {
            trigger: '.o_form_view div[name="open_problems"]:not(:has(textarea)):contains("The fence behind the gym is too low.")',
        },
    ],
});

registry.category("web_tour.tours").add("school_safety_monthly_report_acknowledge", {
    url: "/odoo",
    steps: () => [
        ...openReportOfSchoolA("Submitted"),
        {
            content: "The bureau reads the school's problems and plan",
            trigger: '.o_form_view div[name="next_month_plan"]:contains("Raise the fence; fire drill on the 10th.")',
        },
        {
            content: "Acknowledge the report",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_acknowledge"]',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_statusbar_status .o_arrow_button_current:contains("Acknowledged by the Bureau")',
        },
    ],
});
