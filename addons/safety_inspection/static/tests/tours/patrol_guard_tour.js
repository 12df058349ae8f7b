import { registry } from "@web/core/registry";

function goOffline() {
    const proto = window.XMLHttpRequest.prototype;
    if (!proto._patrolPatched) {
        const open = proto.open;
        const send = proto.send;
        proto.open = function (method, url, ...rest) {
            this._patrolUrl = String(url);
            return open.call(this, method, url, ...rest);
        };
        proto.send = function (body) {
            if (window.safetyPatrolOffline && this._patrolUrl.includes("/patrol/scan")) {
                setTimeout(() => this.dispatchEvent(new ProgressEvent("error")), 0);
                return;
            }
            return send.call(this, body);
        };
        proto._patrolPatched = true;
        // the phone sends scans with fetch(): refuse them like a dead network would
        const originalFetch = window.fetch;
        window.fetch = function (input, ...rest) {
            const url = String(input && input.url ? input.url : input);
            if (window.safetyPatrolOffline && url.includes("/patrol/scan")) {
                return Promise.reject(new TypeError("Failed to fetch"));
            }
            return originalFetch.call(this, input, ...rest);
        };
    }
    window.safetyPatrolOffline = true;
}

registry.category("web_tour.tours").add("patrol_guard_tour", {
    steps: () => {
        const [gate, hall] = window.safetyPatrolTourCodes || ["", ""];
        return [
            { trigger: ".o_patrol_round", run: "click" },
            { trigger: ".o_patrol_start", run: "click" },
            { trigger: ".o_patrol_state:contains(In progress)" },
            // typed code, online
            { trigger: ".o_patrol_code", run: `edit ${gate}` },
            { trigger: ".o_patrol_send", run: "click" },
            { trigger: ".o_patrol_checkpoint.o_patrol_done:contains(North Gate)" },
            { trigger: ".o_patrol_progress:contains(1 / 3)", run: goOffline },
            // typed code, offline: kept on the phone as not yet sent
            { trigger: ".o_patrol_code", run: `edit ${hall}` },
            { trigger: ".o_patrol_send", run: "click" },
            { trigger: ".o_patrol_unsent .o_patrol_unsent_count:contains(1)" },
            { trigger: ".o_patrol_checkpoint.o_patrol_todo:contains(Hall)" },
            {
                trigger: ".o_patrol_message:contains(No network)",
                run() {
                    window.safetyPatrolOffline = false;
                    window.dispatchEvent(new Event("online"));
                },
            },
            { trigger: ".o_patrol_checkpoint.o_patrol_done:contains(Hall)" },
            { trigger: ".o_patrol_screen:not(:has(.o_patrol_unsent))" },
            // an anomaly becomes a hazard
            { trigger: ".o_patrol_anomaly", run: "click" },
            { trigger: ".o_patrol_anomaly_note", run: "edit Broken lamp" },
            { trigger: ".o_patrol_anomaly_send", run: "click" },
            { trigger: ".o_patrol_message:contains(Anomaly reported)" },
            // finish incomplete with a reason
            { trigger: ".o_patrol_finish", run: "click" },
            { trigger: ".o_patrol_reason", run: "edit Yard gate locked" },
            { trigger: ".o_patrol_finish_confirm", run: "click" },
            { trigger: ".o_patrol_state:contains(Incomplete)" },
        ];
    },
});

// The camera path: the test gives Chrome a fake camera filming the North Gate's label.
registry.category("web_tour.tours").add("patrol_camera_tour", {
    steps: () => [
        { trigger: ".o_patrol_round", run: "click" },
        { trigger: ".o_patrol_camera", run: "click" },
        // the scanner dialog opens, reads the label and closes by itself
        { trigger: ".o_patrol_checkpoint.o_patrol_done:contains(North Gate)" },
        { trigger: ".o_patrol_progress:contains(1 / 3)" },
        { trigger: ".o_patrol_state:contains(In progress)" },
        { trigger: "body:not(:has(.modal video))" },
    ],
});
