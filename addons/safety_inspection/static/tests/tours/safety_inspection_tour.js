import { registry } from "@web/core/registry";

function answer(check, result) {
    return [
        {
            content: `Open the check "${check}"`,
            trigger: `.o_field_widget[name=line_ids] .o_kanban_record:contains("${check}")`,
            run: "click",
        },
        {
            content: `Mark it ${result}`,
            trigger: `.modal .o_field_widget[name=result] .o_selection_badge:contains("${result}")`,
            run: "click",
        },
        {
            trigger: `.modal .o_field_widget[name=result] .o_selection_badge.active:contains("${result}")`,
        },
    ];
}

function saveCheck() {
    return [
        { content: "Save the check", trigger: ".modal .o_form_button_save", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ];
}

// on a phone the form's header buttons sit in the gear menu of the control panel
function headerButton(name, content) {
    return [
        { content: "Open the actions menu", trigger: ".o_control_panel .fa-cog", run: "click" },
        { content, trigger: `.o-dropdown--menu [name=${name}]`, run: "click" },
    ];
}

registry.category("web_tour.tours").add("safety_inspection_phone_tour", {
    steps: () => [
        ...headerButton("action_start", "Start the inspection"),
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains('In Progress')" },
        ...answer("Exits unobstructed", "Pass"),
        ...saveCheck(),
        ...answer("Distribution boxes locked", "Fail"),
        {
            content: "Say what is wrong",
            trigger: ".modal .o_field_widget[name=note] input",
            run: "edit Box 3 open in the gym",
        },
        ...saveCheck(),
        ...answer("Food samples kept", "N/A"),
        ...saveCheck(),
        ...headerButton("action_done", "Complete the inspection"),
        {
            content: "The inspection is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "The failed check is marked on its card",
            trigger: ".o_kanban_record:contains('Distribution boxes locked') .o_field_badge:contains('Fail')",
        },
    ],
});
