import { registry } from "@web/core/registry";

// The safety officer takes the attendance of a session on a phone: one card per attendee,
// a tap on Present, Absent or Excused.
function card(name) {
    return `.o_kanban_record:contains(${name})`;
}

registry.category("web_tour.tours").add("safety_training_attendance_tour", {
    steps: () => [
        { trigger: `${card("Teacher A")} .badge:contains(Expected)` },
        { content: "Teacher A came", trigger: `${card("Teacher A")} button.o_safety_present`, run: "click" },
        { trigger: `${card("Teacher A")} .badge:contains(Present)` },
        { content: "Guard A is on duty", trigger: `${card("Guard A")} button.o_safety_excused`, run: "click" },
        { trigger: `${card("Guard A")} .badge:contains(Excused)` },
        { content: "The principal did not come", trigger: `${card("Principal A")} button.o_safety_absent`, run: "click" },
        { trigger: `${card("Principal A")} .badge:contains(Absent)` },
        { content: "The officer came too", trigger: `${card("Safety Officer A")} button.o_safety_present`, run: "click" },
        { trigger: `${card("Safety Officer A")} .badge:contains(Present)` },
        { trigger: `.o_kanban_renderer:not(:has(.badge:contains(Expected)))` },
    ],
});
