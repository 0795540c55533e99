"""API Activity, the sim clock and after-admission faults, checked by sim_selftest.py
(shared/upstream/retrodiffusion-v2-reference.md section 3.3 and 3.4)."""
import http.client
import socket
import time
import urllib.error

from sim_selftest_support import KEY1, KEY2, balance, check, tiny_png
from sim_selftest_v2 import gen, is_envelope, v2, wait_task


def ledger(sim):
    return sim.json("GET", "/_sim/ledger", token=None)[1]


def test_activity(sim):
    sim.json("POST", "/_sim/config", {"async_duration_ms": 300}, token=None)
    price = gen(sim, prompt="activity probe", num_images=2, check_cost=True)[1]["balance_cost"]
    s, b, _ = gen(sim, prompt="activity probe", num_images=2)
    tid = b["task_id"]
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{tid}")
    check("activity of a fresh task", s == 200 and a["request_id"] == tid and a["operation"] == "inference"
          and a["mode"] == "async" and a["status"] in ("queued", "running") and a["charged"] is True
          and a["outputs"] == [] and a["output_status"] == "pending" and a["token_prefix"] == KEY1[:9]
          and a["request"]["prompt"] == "activity probe", a)
    wait_task(sim, tid)
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{tid}")
    outs = a.get("outputs", [])
    check("activity of a finished task", s == 200 and a["status"] == "succeeded" and a["completed_at"]
          and a["balance_cost"] == price and len(outs) == 2 and a["output_status"] == "available"
          and all(o["available"] and o["url"] and o["url_expires_at"] and o["retained_until"]
                  and o["media_type"] == "image/png" for o in outs)
          and [o["position"] for o in outs] == [0, 1], a)
    if outs:
        st, _, data = sim.call("GET", outs[0]["url"][len(sim.base):], token=None)
        check("activity url serves the png", st == 200 and data[:4] == b"\x89PNG", st)
    s, b, h = v2(sim, "POST", "/edit/tools/background_remover", {"input_image": tiny_png()})
    rid = h.get("X-RD-Request-ID")
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{rid}")
    check("edit tool run recorded (sync)", s == 200 and a["operation"] == "edit_tool" and a["mode"] == "sync"
          and a["request"]["tool_id"] == "background_remover" and "input_image" not in a["request"]
          and a["http_status"] == 200 and a["status"] == "succeeded" and len(a["outputs"]) == 1, a)
    s, b, h = sim.json("POST", "/v1/edit/tools/image_edit", {"input_image": tiny_png(), "prompt": 7})
    s, page, _ = v2(sim, "GET", "/inferences/requests?limit=1")
    top = page["items"][0] if s == 200 and page["items"] else {}
    check("failed call recorded with its error", top.get("operation") == "edit_tool"
          and top.get("status") == "failed" and top.get("http_status") == 422
          and top.get("error", {}).get("code") == "validation_error" and top.get("charged") is False, top)
    s, b, _ = gen(sim, prompt="FAILME")
    wait_task(sim, b["task_id"])
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{b['task_id']}")
    check("failed task in activity", a["status"] == "failed" and a["error"]["code"] == "inference_failed"
          and a["charged"] is False and a["outputs"] == [], a)
    s, page, _ = v2(sim, "GET", "/inferences/requests?status=failed&limit=100")
    check("activity status filter", s == 200 and len(page["items"]) >= 2
          and all(i["status"] == "failed" for i in page["items"]), page)
    # Paging: newest first, next_cursor until the end (a key of its own, so the pages are few).
    pager = "rdpk-pager"
    sim.json("POST", "/_sim/keys", {"key": pager, "balance": 10}, token=None)
    for i in range(5):
        gen(sim, token=pager, seed=i)
    seen, cursor = [], None
    for _ in range(10):
        q = "/inferences/requests?limit=2" + (f"&cursor={cursor}" if cursor else "")
        s, page, _ = v2(sim, "GET", q, token=pager)
        if s != 200:
            break
        seen += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    times = [i["created_at"] for i in seen]
    seeds = [i["request"]["seed"] for i in seen]
    check("activity pages cover everything once, newest first", s == 200 and seeds == [4, 3, 2, 1, 0]
          and times == sorted(times, reverse=True), seeds)
    s, full, _ = v2(sim, "GET", "/inferences/requests?limit=100", token=pager)
    check("paged == unpaged", [i["request_id"] for i in seen] == [i["request_id"] for i in full["items"]])
    s, page, _ = v2(sim, "GET", "/inferences/requests")
    check("default limit 20", s == 200 and len(page["items"]) == 20 and "next_cursor" in page)
    check("bad cursor 400", is_envelope(v2(sim, "GET", "/inferences/requests?cursor=nope"), 400, "invalid_cursor"))
    for q in ("limit=0", "limit=101", "limit=x", "status=pending"):
        check(f"activity {q} 422", is_envelope(v2(sim, "GET", f"/inferences/requests?{q}"), 422, "validation_error"))
    check("another key's activity 404", is_envelope(v2(sim, "GET", f"/inferences/requests/{tid}", token=KEY2),
                                                     404, "api_activity_not_found"))
    check("unknown activity 404", is_envelope(v2(sim, "GET", "/inferences/requests/nope"),
                                              404, "api_activity_not_found"))
    s, b, _ = sim.json("POST", "/v1/inferences", {"prompt": "v1 call", "width": 64, "height": 64})
    s, page, _ = v2(sim, "GET", "/inferences/requests?limit=1")
    check("v1 calls recorded too", page["items"][0]["request"].get("prompt") == "v1 call"
          and page["items"][0]["mode"] == "sync", page)
    s, page, _ = sim.json("GET", "/v1/inferences/requests")
    check("activity is v2 only", s == 404, s)


def test_clock_and_retention(sim):
    s, b, _ = gen(sim, prompt="kept a day")
    wait_task(sim, b["task_id"])
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{b['task_id']}")
    url = a["outputs"][0]["url"][len(sim.base):]
    s, c, _ = sim.json("POST", "/_sim/clock", {"advance_seconds": 16 * 60}, token=None)
    check("clock advanced", s == 200 and c["offset_seconds"] == 960, c)
    st, _, _ = sim.call("GET", url, token=None)
    check("15-minute url expired", st == 403, st)
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{b['task_id']}")
    check("fresh url after 16 min", a["outputs"][0]["available"] and a["outputs"][0]["url"][len(sim.base):] != url, a)
    sim.json("POST", "/_sim/clock", {"advance_seconds": 24 * 3600}, token=None)
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{b['task_id']}")
    o = a["outputs"][0]
    check("after 24 h: unavailable, no url", s == 200 and o["available"] is False and "url" not in o
          and "url_expires_at" not in o and a["output_status"] == "expired", a)
    st, _, _ = sim.call("GET", url.split("?")[0], token=None)
    check("output gone after 24 h", st == 404, st)
    s, c, _ = sim.json("POST", "/_sim/clock", {"advance_seconds": 30 * 86400}, token=None)
    check("after 30 days: activity gone", is_envelope(v2(sim, "GET", f"/inferences/requests/{b['task_id']}"),
                                                      404, "api_activity_not_found"))
    check("bad clock body 400", sim.json("POST", "/_sim/clock", {"advance_seconds": -1}, token=None)[0] == 400)


def lost_answer(sim, fault, key, **fields):
    """Sends a generation whose answer the fault replaces; returns (status or exception name)."""
    sim.json("POST", "/_sim/fail_next", dict(fault, path_prefix="/v2/inferences", method="POST",
                                             after_admission=True), token=None)
    body = {"prompt": "lost answer", "width": 64, "height": 64, "num_images": 1, **fields}
    headers = {"Idempotency-Key": key} if key else None
    try:
        st, _, data = sim.call("POST", "/v2/inferences", body, headers=headers, timeout=0.5)
        return st, data
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as e:
        return type(e).__name__, None


def test_after_admission_faults(sim):
    for name, fault in (("502", {"status": 502, "raw": "<html>bad gateway</html>", "content_type": "text/html"}),
                        ("timeout", {"status": 504, "delay_ms": 1500}),
                        ("reset", {"reset": True})):
        before, tasks_before = balance(sim), len(v2(sim, "GET", "/inferences/tasks?limit=1000")[1]["tasks"])
        got, data = lost_answer(sim, fault, f"lost-{name}", seed=len(name))
        expected = {"502": 502, "timeout": None, "reset": None}[name]
        check(f"after_admission {name}: answer lost", got == expected if expected else not isinstance(got, int)
              and (data is None), got)
        time.sleep(1.6 if name == "timeout" else 0.05)
        check(f"after_admission {name}: charged", abs(balance(sim) - (before - 0.017)) < 1e-9)
        s, lst, _ = v2(sim, "GET", "/inferences/tasks?limit=1000")
        check(f"after_admission {name}: task exists", len(lst["tasks"]) == tasks_before + 1)
        s, b, _ = gen(sim, key=f"lost-{name}", prompt="lost answer", seed=len(name))
        check(f"after_admission {name}: retry with key -> original task", s == 200
              and b["task_id"] == lst["tasks"][0]["task_id"], (b, lst["tasks"][:1]))
        check(f"after_admission {name}: no second charge", abs(balance(sim) - (before - 0.017)) < 1e-9)
    before = balance(sim)
    lost_answer(sim, {"reset": True}, None)
    s, b, _ = gen(sim, prompt="lost answer")
    check("retry without a key is charged again", s == 200 and abs(balance(sim) - (before - 0.034)) < 1e-9)
    before = balance(sim)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/edit/tools/", "after_admission": True,
                                         "status": 504}, token=None)
    r = v2(sim, "POST", "/edit/tools/image_edit", {"input_image": tiny_png(), "prompt": "x"})
    s, page, _ = v2(sim, "GET", "/inferences/requests?limit=1")
    top = page["items"][0]
    check("sync edit after_admission: 504 envelope, no X-RD-Request-ID",
          is_envelope(r, 504, "request_timeout") and "X-RD-Request-ID" not in r[2], r)
    check("sync edit after_admission: charged and in activity", abs(balance(sim) - (before - 0.18)) < 1e-9
          and top["operation"] == "edit_tool" and top["status"] == "succeeded" and top["charged"], top)
    s, b, _ = sim.json("POST", "/_sim/fail_next", {"reset": True}, token=None)
    check("reset needs after_admission", s == 400, b)
    entries = [e for e in ledger(sim)["entries"] if e["type"] == "charge"]
    check("ledger has one charge per admitted task", len(entries) > 0)
