import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { ConnectionLostError } from "@web/core/network/rpc";
import { useService } from "@web/core/utils/hooks";
import { user } from "@web/core/user";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";

const SCAN_URL = "/safety_inspection/patrol/scan";
const RETRY_MS = 15000;

/**
 * POST one scan as a plain JSON body {"scan": {...}} (not JSON-RPC: the endpoint parses
 * the body itself). Resolves to the endpoint's {"ok": ...} object, whatever the HTTP status;
 * rejects with ConnectionLostError when the network is down, resolves to null when the
 * session expired (HTTP 401, or a redirect to the login page from a proxy or an older
 * server) and throws on any other non-JSON answer.
 */
export async function postScan(scan) {
    let response;
    try {
        response = await fetch(SCAN_URL, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ scan }),
            credentials: "same-origin",
        });
    } catch {
        throw new ConnectionLostError(SCAN_URL);
    }
    if (response.status === 401 || response.redirected) {
        return null; // not logged in any more
    }
    const type = response.headers.get("Content-Type") || "";
    if (!type.startsWith("application/json")) {
        throw new Error(`Unexpected answer from ${SCAN_URL}: HTTP ${response.status}`);
    }
    return response.json();
}

function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
        return window.crypto.randomUUID();
    }
    return "c-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

/**
 * The guard's phone screen: today's rounds, start, scan (camera or typed code),
 * progress, anomaly report, finish. Scans are queued in localStorage first and
 * sent when the network allows, so a lost signal loses nothing.
 */
export class PatrolGuardScreen extends Component {
    static template = "safety_inspection.PatrolGuardScreen";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.storageKey = `safety_patrol_queue_${user.userId}`;
        this.state = useState({
            rounds: [],
            roundId: null,
            code: "",
            queue: this.loadQueue(),
            message: "",
            messageType: "info",
            anomalyOpen: false,
            anomalyNote: "",
            finishOpen: false,
            reason: "",
            busy: false,
        });
        this.cameraSupported = isBarcodeScannerSupported();
        this.onOnline = () => this.flush();
        onWillStart(() => this.loadRounds());
        onMounted(() => {
            window.addEventListener("online", this.onOnline);
            this.timer = setInterval(() => this.flush(), RETRY_MS);
            this.flush();
        });
        onWillUnmount(() => {
            window.removeEventListener("online", this.onOnline);
            clearInterval(this.timer);
        });
    }

    // ------------------------------------------------------------ data

    loadQueue() {
        try {
            return JSON.parse(window.localStorage.getItem(this.storageKey) || "[]");
        } catch {
            return [];
        }
    }

    saveQueue() {
        window.localStorage.setItem(this.storageKey, JSON.stringify(this.state.queue));
    }

    async loadRounds() {
        try {
            this.state.rounds = await this.orm.call("safety.patrol.round", "patrol_screen_data", []);
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
        }
    }

    get round() {
        return this.state.rounds.find((r) => r.id === this.state.roundId);
    }

    get pendingForRound() {
        return this.state.queue.filter((item) => item.round_id === this.state.roundId);
    }


    get doneCount() {
        return this.round ? this.round.checkpoints.filter((c) => c.done).length : 0;
    }

    stateLabel(state) {
        return {
            planned: _t("Planned"),
            in_progress: _t("In progress"),
            completed: _t("Completed"),
            incomplete: _t("Incomplete"),
            missed: _t("Missed"),
        }[state];
    }

    say(message, type = "info") {
        this.state.message = message;
        this.state.messageType = type;
    }

    // ------------------------------------------------------------ actions

    openRound(round) {
        this.state.roundId = round.id;
        this.say("");
    }

    back() {
        this.state.roundId = null;
        this.state.anomalyOpen = false;
        this.state.finishOpen = false;
        this.loadRounds();
    }

    async startRound() {
        try {
            await this.orm.call("safety.patrol.round", "action_start", [[this.state.roundId]]);
            await this.loadRounds();
            this.say(_t("Round started. Scan the first checkpoint."), "success");
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.say(_t("No network: just scan, the round starts with the first scan."), "warning");
            } else {
                this.say(error.data?.message || error.message, "danger");
            }
        }
    }

    async scanWithCamera() {
        let code;
        try {
            code = await scanBarcode(this.env);
        } catch (error) {
            this.say(error.message || _t("The camera could not be used: type the code."), "warning");
            return;
        }
        if (code) {
            await this.submitCode(code);
        }
    }

    async submitTyped(ev) {
        ev.preventDefault();
        const code = this.state.code.trim();
        if (!code) {
            return;
        }
        this.state.code = "";
        await this.submitCode(code);
    }

    position() {
        return new Promise((resolve) => {
            if (!navigator.geolocation) {
                resolve(null);
                return;
            }
            const timeout = setTimeout(() => resolve(null), 3000);
            navigator.geolocation.getCurrentPosition(
                (pos) => {
                    clearTimeout(timeout);
                    resolve(pos.coords);
                },
                () => {
                    clearTimeout(timeout);
                    resolve(null);
                },
                { enableHighAccuracy: true, timeout: 3000, maximumAge: 30000 }
            );
        });
    }

    async submitCode(code) {
        const scan = {
            round_id: this.state.roundId,
            token: code,
            client_id: newClientId(),
            device_time: new Date().toISOString(),
            device: (navigator.userAgent || "").slice(0, 120),
        };
        const coords = await this.position();
        if (coords) {
            scan.latitude = coords.latitude;
            scan.longitude = coords.longitude;
            scan.accuracy = coords.accuracy;
        }
        this.state.queue.push(scan);
        this.saveQueue();
        await this.flush();
    }

    async flush() {
        if (this.flushing || !this.state.queue.length) {
            return;
        }
        this.flushing = true;
        try {
            for (const item of [...this.state.queue]) {
                let result;
                try {
                    result = await postScan({ ...item, sent_time: new Date().toISOString() });
                } catch (error) {
                    if (error instanceof ConnectionLostError) {
                        this.say(_t("No network: the scan is kept on the phone and sent later."), "warning");
                        return;
                    }
                    throw error;
                }
                if (!result) {
                    this.say(
                        _t("Your session has expired: log in again. The scan is kept on the phone."),
                        "danger"
                    );
                    return;
                }
                this.state.queue = this.state.queue.filter((q) => q.client_id !== item.client_id);
                this.saveQueue();
                if (result.ok) {
                    this.say(
                        result.flags.length
                            ? _t("Scan recorded, marked for review.")
                            : _t("Checkpoint done."),
                        result.flags.length ? "warning" : "success"
                    );
                } else {
                    this.say(result.message, "danger");
                }
            }
            await this.loadRounds();
        } finally {
            this.flushing = false;
        }
    }

    async readPhoto(input) {
        const file = input && input.files && input.files[0];
        if (!file) {
            return [null, null];
        }
        const data = await new Promise((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve(reader.result.split(",")[1]);
            reader.readAsDataURL(file);
        });
        return [data, file.name];
    }

    async sendAnomaly(ev) {
        ev.preventDefault();
        const note = this.state.anomalyNote.trim();
        if (!note) {
            this.say(_t("Describe what you saw."), "danger");
            return;
        }
        const [photo, filename] = await this.readPhoto(ev.target.querySelector("input[type=file]"));
        try {
            await this.orm.call("safety.patrol.round", "action_report_anomaly", [
                [this.state.roundId],
                note,
                photo,
                filename,
            ]);
            this.state.anomalyNote = "";
            this.state.anomalyOpen = false;
            this.say(_t("Anomaly reported to the safety officer."), "success");
        } catch (error) {
            this.say(error.data?.message || error.message, "danger");
        }
    }

    async finishRound(ev) {
        ev.preventDefault();
        try {
            await this.orm.call("safety.patrol.round", "action_finish", [
                [this.state.roundId],
                this.state.reason,
            ]);
            this.state.finishOpen = false;
            this.state.reason = "";
            await this.loadRounds();
            this.say(_t("Round finished."), "success");
        } catch (error) {
            this.say(error.data?.message || error.message, "danger");
        }
    }
}

registry.category("actions").add("safety_patrol_guard_screen", PatrolGuardScreen);
