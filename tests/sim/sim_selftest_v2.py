"""API v2 checks for rd-sim, run by sim_selftest.py: the canonical error envelope on the v1
surface, async-only POST /v2/inferences with Idempotency-Key, and v2 task reads and lists.
Each expectation comes from shared/upstream/retrodiffusion-v2-reference.md (sections 1-3, 10)."""
import time

from sim_selftest_support import KEY1, KEY2, balance, check, image_of, tiny_png

ACCEPTED_MESSAGE = "Inference accepted. Poll GET /v2/inferences/tasks/{task_id} for status."


def v2(sim, method, path, body=None, key=None, **kw):
    headers = {"Idempotency-Key": key} if key is not None else None
    return sim.json(method, "/v2" + path, body, headers=headers, **kw)


def gen(sim, key=None, token=KEY1, **fields):
    body = {"prompt": "a corgi", "width": 64, "height": 64, "num_images": 1}
    body.update(fields)
    return v2(sim, "POST", "/inferences", body, key=key, token=token)


def is_envelope(r, status, code):
    s, b, h = r
    err = b.get("error") if isinstance(b, dict) else None
    return (s == status and isinstance(err, dict) and err.get("code") == code
            and isinstance(err.get("message"), str) and err.get("request_id")
            and h.get("X-Request-ID") == err["request_id"])


def wait_task(sim, tid, token=KEY1, until=("succeeded", "failed")):
    seen = []
    for _ in range(200):
        s, t, _ = v2(sim, "GET", f"/inferences/tasks/{tid}", token=token)
        if s != 200:
            return s, t, seen
        if not seen or seen[-1] != t["status"]:
            seen.append(t["status"])
        if t["status"] in until:
            return s, t, seen
        time.sleep(0.03)
    return s, t, seen


def test_v2_envelope(sim):
    s, b, _ = v2(sim, "GET", "/status", token=None)
    check("v2 status no auth", s == 200 and b["status"]["rd_fast"] == "ok", b)
    s, b, _ = v2(sim, "GET", "/inferences/credits")
    check("v2 credits", s == 200 and b == {"credits": 0, "balance": balance(sim)}, b)
    check("v2 missing token 401 invalid_token",
          is_envelope(v2(sim, "GET", "/inferences/credits", token=None), 401, "invalid_token"))
    check("v2 unknown token on credits 401 (v1: 403)",
          is_envelope(v2(sim, "GET", "/inferences/credits", token="rdpk-unknown"), 401, "invalid_token"))
    check("v2 no-access key 403 forbidden",
          is_envelope(v2(sim, "GET", "/styles/selector", token="rdpk-no-access"), 403, "forbidden"))
    check("v2 unknown path 404 not_found", is_envelope(v2(sim, "GET", "/nothing-here"), 404, "not_found"))
    r = v2(sim, "POST", "/status", {})
    check("v2 wrong method 405", is_envelope(r, 405, "method_not_allowed") and r[2].get("Allow") == "GET", r)
    r = v2(sim, "POST", "/inferences", {"prompt": "x", "width": "big", "height": 64})
    issues = r[1]["error"].get("details", {}).get("issues", []) if r[0] == 422 else []
    check("v2 422 validation_error issues", is_envelope(r, 422, "validation_error")
          and {"location": ["body", "width"], "code": "int_type"}.items() <= issues[0].items()
          and any(i["location"] == ["body", "num_images"] and i["code"] == "missing" for i in issues)
          and all(isinstance(i["message"], str) for i in issues), r)
    r = v2(sim, "POST", "/inferences", {"width": 64, "height": 64, "num_images": 1})
    check("v2 prompt optional", r[0] == 200 and r[1]["status"] == "accepted", r)
    check("v2 bad request 400 bad_request",
          is_envelope(gen(sim, prompt_style="no_such_style"), 400, "bad_request"))
    check("v2 user style 404 style_not_found",
          is_envelope(v2(sim, "PATCH", "/styles/user__nope", {"name": "x"}), 404, "style_not_found"))
    r = v2(sim, "POST", "/styles", {"name": "V2 Style", "reference_images": [tiny_png()]})
    check("v2 user style create 201", r[0] == 201 and r[1]["prompt_style"].startswith("user__"), r)
    if r[0] == 201:
        d = v2(sim, "DELETE", f"/styles/{r[1]['id']}")
        check("v2 user style delete", d[0] == 200 and d[1]["deleted"] is True, d)
    s, b, _ = v2(sim, "GET", "/styles/selector")
    check("v2 selector", s == 200 and len(b["styles"]) > 70
          and b["models"] == ["rd_fast", "rd_plus", "rd_pro", "rd_mini"]
          and "tab:advanced-animation" in b["tabs"], s)
    check("v2 unknown tool 404 tool_not_found",
          is_envelope(v2(sim, "POST", "/edit/tools/nope", {"input_image": tiny_png()}), 404, "tool_not_found"))
    sim.json("POST", "/_sim/keys", {"key": "rdpk-poor", "balance": 0.05}, token=None)
    r = v2(sim, "POST", "/edit/tools/image_edit", {"input_image": tiny_png(), "prompt": "x"}, token="rdpk-poor")
    check("v2 402 not_enough_balance with balance and cost", is_envelope(r, 402, "not_enough_balance")
          and r[1]["error"]["details"] == {"balance": 0.05, "cost": 0.18}, r)
    r = gen(sim, token="rdpk-poor", prompt_style="rd_pro__default")
    check("v2 inference 402", is_envelope(r, 402, "not_enough_balance")
          and r[1]["error"]["details"]["cost"] == 0.18, r)
    s, b, h = v2(sim, "POST", "/edit/tools/image_edit/estimate", {"input_image": tiny_png(), "prompt": "x"})
    check("v2 estimate", s == 200 and b["balance_cost"] == 0.18 and "X-RD-Request-ID" not in h, (s, b))
    before = balance(sim)
    s, b, h = v2(sim, "POST", "/edit/tools/image_edit", {"input_image": tiny_png(), "prompt": "x"})
    check("v2 edit tool sync + X-RD-Request-ID", s == 200 and h.get("X-RD-Request-ID") == b["request_id"]
          and abs(balance(sim) - (before - 0.18)) < 1e-9, (s, h))
    s, b, h = v2(sim, "POST", "/edit", {"prompt": "x", "inputImageBase64": tiny_png()})
    check("v2 /edit + X-RD-Request-ID", s == 200 and h.get("X-RD-Request-ID") and b["outputImageBase64"], (s, h))
    s, b, h = sim.json("POST", "/v1/edit", {"prompt": "x", "inputImageBase64": tiny_png()})
    check("v1 /edit has no X-RD-Request-ID", s == 200 and "X-RD-Request-ID" not in h, h)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/inferences/credits", "status": 503,
                                         "retry_after": 3}, token=None)
    r = v2(sim, "GET", "/inferences/credits")
    check("v2 default fault body is the envelope", is_envelope(r, 503, "service_unavailable")
          and r[2].get("Retry-After") == "3", r)


def test_v2_inferences(sim):
    sim.json("POST", "/_sim/config", {"async_duration_ms": 300}, token=None)
    before = balance(sim)
    s, b, _ = gen(sim, check_cost=True)
    check("v2 check_cost immediate", s == 200 and b["model"] == "check_cost" and b["balance_cost"] == 0.017
          and b["base64_images"] == [] and b["remaining_balance"] == before, b)
    check("check_cost + Idempotency-Key 400",
          is_envelope(gen(sim, key="k-cost", check_cost=True), 400, "idempotency_async_required"))
    # (An empty header value is not sent on by every HTTP stack, so it is not probed here.)
    for bad in ("has space", "x" * 257, "tab\tinside"):
        check(f"invalid Idempotency-Key {bad[:10]!r}",
              is_envelope(gen(sim, key=bad), 400, "invalid_idempotency_key"))
    s, _, _ = gen(sim, key="k" * 256, check_cost=False, seed=1)
    check("256-char Idempotency-Key accepted", s == 200)
    before = balance(sim)
    check("no charge for rejected calls", balance(sim) == before)
    s, b, h = gen(sim)
    check("v2 accepted shape", s == 200 and b == {"status": "accepted", "task_id": b.get("task_id"),
          "request_id": b.get("task_id"), "message": ACCEPTED_MESSAGE} and h.get("X-Request-ID"), b)
    check("v2 charged at admission", abs(balance(sim) - (before - 0.017)) < 1e-9)
    s, t, seen = wait_task(sim, b["task_id"])
    check("v2 task states", seen[-1] == "succeeded" and set(seen) <= {"pending", "running", "succeeded"}, seen)
    r = t.get("result", {})
    check("v2 InferenceRun", r.get("balance_cost") == 0.017 and r.get("request_id") == b["task_id"]
          and r.get("credit_cost") == 0 and r.get("model") == "rd_fast" and r.get("type") == "txt2img"
          and "created_at" in r and "remaining_balance" in r and "output_urls" not in r
          and image_of(r["base64_images"][0])[:3] == ("png", 64, 64), t)
    check("v2 task timestamps, no nulls", "created_at" in t and "updated_at" in t and "error" not in t, t)
    s, b2, _ = gen(sim, **{"async": True})
    check("async: true changes nothing", s == 200 and b2["message"] == ACCEPTED_MESSAGE, b2)
    check("another key's task 404", is_envelope(v2(sim, "GET", f"/inferences/tasks/{b['task_id']}",
                                                  token=KEY2), 404, "not_found"))
    before = balance(sim)
    s, b, _ = gen(sim, prompt="FAILME please")
    s, t, _ = wait_task(sim, b["task_id"])
    check("FAILME task failed, HTTP 200", s == 200 and t["status"] == "failed" and "result" not in t
          and t["error"] == {"status_code": 502, "code": "inference_failed", "message": "Inference failed.",
                             "request_id": b["task_id"]}, t)
    check("failed task refunded", balance(sim) == before)
    s, b, _ = gen(sim, prompt_style="rd_animation__four_angle_walking", width=48, height=48)
    s, t, _ = wait_task(sim, b["task_id"])
    r = t.get("result", {})
    check("v2 animation as output_urls", r.get("base64_images") == [] and len(r.get("output_urls", [])) == 1
          and r.get("output_url_expires_at"), r)
    if r.get("output_urls"):
        st, _, data = sim.call("GET", r["output_urls"][0][len(sim.base):], token=None)
        check("animation url serves the gif", st == 200 and data[:4] == b"GIF8", st)
    s, b, _ = gen(sim, upload_outputs=True, num_images=2)
    s, t, _ = wait_task(sim, b["task_id"])
    check("v2 upload_outputs", len(t["result"]["output_urls"]) == 2 and t["result"]["base64_images"] == [], t)
    s, lst, _ = v2(sim, "GET", "/inferences/tasks?limit=3")
    check("task list newest first", s == 200 and len(lst["tasks"]) == 3
          and lst["tasks"][0]["task_id"] == b["task_id"], lst)
    s, lst, _ = v2(sim, "GET", "/inferences/tasks?status=failed")
    check("task list status filter", s == 200 and lst["tasks"]
          and all(x["status"] == "failed" for x in lst["tasks"]), lst)
    check("task list bad status 422", is_envelope(v2(sim, "GET", "/inferences/tasks?status=done"),
                                                  422, "validation_error"))
    s, lst, _ = v2(sim, "GET", "/inferences/tasks", token=KEY2)
    check("task list scoped to the key", s == 200 and lst == {"tasks": []}, lst)


def test_v2_idempotency(sim):
    before = balance(sim)
    s, first, _ = gen(sim, key="job-1", seed=7)
    s2, again, _ = gen(sim, key="job-1", seed=7)
    check("same key + body -> original task", s == s2 == 200 and again == first, (first, again))
    check("replay not charged", abs(balance(sim) - (before - 0.017)) < 1e-9)
    r = gen(sim, key="job-1", seed=8)
    check("same key + other body 409", is_envelope(r, 409, "idempotency_conflict"), r)
    s, other, _ = gen(sim, key="job-1", seed=7, token=KEY2)
    check("key scoped to the token", s == 200 and other["task_id"] != first["task_id"], other)
    body = {"width": 64, "height": 64, "num_images": 1, "prompt": "order"}
    st1, _, d1 = sim.call("POST", "/v2/inferences", raw=b'{"prompt":"order","width":64,"height":64,"num_images":1}',
                          headers={"Idempotency-Key": "job-2"})
    s, b, _ = v2(sim, "POST", "/inferences", body, key="job-2")
    check("equal JSON in another key order replays", st1 == 200 and s == 200
          and b["task_id"] in d1.decode(), (d1, b))
    sim.json("POST", "/_sim/keys", {"key": "rdpk-one-shot", "balance": 0.02}, token=None)
    r = gen(sim, key="job-3", token="rdpk-one-shot", prompt_style="rd_pro__default")
    check("402 does not consume the key", is_envelope(r, 402, "not_enough_balance"), r)
    s, b, _ = gen(sim, key="job-3", token="rdpk-one-shot")
    check("key usable after a 402", s == 200 and b["status"] == "accepted", b)
    s, _, _ = sim.json("POST", "/v1/inferences", {"prompt": "x", "width": 64, "height": 64},
                       headers={"Idempotency-Key": "job-1"})
    check("v1 ignores Idempotency-Key", s == 200)
