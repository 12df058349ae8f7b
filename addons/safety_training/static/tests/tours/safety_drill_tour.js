import { registry } from "@web/core/registry";

// The safety officer records a fire drill just held: evacuation time, a problem found,
// then marks it done; the problem goes to the hazard ledger.
registry.category("web_tour.tours").add("safety_drill_record_tour", {
    steps: () => [
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Planned')" },
        { content: "Evacuation time", trigger: ".o_field_widget[name=evacuation_seconds] input", run: "edit 95" },
        { content: "Problems found", trigger: ".o_notebook_headers a[name=problems]", run: "click" },
        {
            content: "Add a problem",
            trigger: ".o_field_widget[name=problem_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=problem_ids] .o_selected_row [name=description] textarea, .o_field_widget[name=problem_ids] .o_selected_row [name=description] input",
            run: "edit Exit B blocked by chairs",
        },
        {
            trigger: ".o_field_widget[name=problem_ids] .o_selected_row [name=location] input",
            run: "edit Stairs B",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { content: "Mark as done", trigger: "button[name=action_done]", run: "click" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: "button[name=action_view_hazards] .o_stat_value:contains(1)" },
    ],
});
