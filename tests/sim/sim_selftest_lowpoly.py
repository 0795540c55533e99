"""Low-Poly 3D checks for rd-sim, run by sim_selftest.py: every /lowpoly route on /v1 and /v2,
each error code the sim emits there, idempotent retries, the ledger, API Activity, faults and
the clock. Each expectation comes from shared/upstream/retrodiffusion-v2-reference.md (sections
3.3, 3.4, 8 and 10)."""
import base64
import struct

from sim_selftest_support import KEY2, check, decode_gif, decode_png, tiny_png

LP = "rdpk-lowpoly-1"   # a key of its own: its jobs and balance are not shared with other groups
LP_OTHER = "rdpk-lowpoly-2"


def lp(sim, method, path, body=None, token=LP, key=None, version="v2"):
    headers = {"Idempotency-Key": key} if key is not None else None
    return sim.json(method, f"/{version}/lowpoly" + path, body, token=token, headers=headers)


def is_error(r, status, code):
    s, b, h = r
    err = b.get("error") if isinstance(b, dict) else None
    return (s == status and isinstance(err, dict) and err.get("code") == code
            and err.get("request_id") and h.get("X-Request-ID") == err["request_id"])


def finish(sim, seconds=5):
    """Moves the sim clock past every running job."""
    sim.json("POST", "/_sim/clock", {"advance_seconds": seconds}, token=None)


def money(sim, key=LP):
    return sim.json("GET", "/_sim/ledger", token=None)[1]["balances"][key]


def fetch(sim, url):
    return sim.call("GET", url[len(sim.base):], token=None)


def made_model(sim, prompt="a wooden chest", **fields):
    body = {"prompt": prompt}
    body.update(fields)
    s, b, _ = lp(sim, "POST", "/generate", body)
    finish(sim)
    return b["asset_id"], b["task_id"]


def test_lowpoly_catalog(sim):
    for key in (LP, LP_OTHER):
        sim.json("POST", "/_sim/keys", {"key": key, "balance": 20}, token=None)
    for version in ("v1", "v2"):
        s, p, h = lp(sim, "GET", "/pricing", version=version)
        check(f"lowpoly {version} pricing", s == 200 and p["sizes"] == [16, 32, 64, 128, 256], p)
    check("lowpoly pricing table", p["prices"]["standard"]["generate"] ==
          {"16": 0.25, "32": 0.5, "64": 0.85, "128": 1.2, "256": 3.0}
          and p["prices"]["standard"]["rerig"] == p["prices"]["standard"]["split"]
          and set(p["prices"]["lite"]["generate"].values()) == {0.1}
          and set(p["prices"]["lite"]["animate"].values()) == {0.08}, p["prices"])
    check("lowpoly pricing fields", p["prompt_max"] == 250 and p["max_reference_images"] == 4
          and p["rig_cost"] == 0.0 and p["default_size"] in p["sizes"], p)
    styles = {st["id"]: st["tier"] for st in p["styles"]}
    check("lowpoly four styles", styles == {"rd_lowpoly__detailed": "standard", "rd_lowpoly__blocky": "standard",
                                            "rd_lowpoly__detailed_lite": "lite",
                                            "rd_lowpoly__blocky_lite": "lite"}, styles)
    targets = {t["id"]: t for t in p["export_targets"]}
    check("lowpoly 14 export targets", len(targets) == 14 and targets["godot"]["extension"] == "glb"
          and targets["mp4"]["needs_animation"] and not targets["gif"]["needs_animation"]
          and all({"id", "name", "group", "extension", "needs_animation"} <= set(t) for t in targets.values()),
          targets)
    check("lowpoly pricing needs a token", is_error(lp(sim, "GET", "/pricing", token=None), 401, "invalid_token"))
    check("lowpoly v1 errors in the v2 envelope",
          is_error(lp(sim, "GET", "/pricing", token="rdpk-unknown", version="v1"), 401, "invalid_token"))
    check("lowpoly wrong method 405", is_error(lp(sim, "GET", "/generate"), 405, "method_not_allowed"))

    s, e, _ = lp(sim, "POST", "/estimate", {"prompt": "a barrel"})
    check("lowpoly estimate auto", s == 200 and e == {"operation": "generate", "size": 32, "size_source": "auto",
                                                      "cost": 0.5, "includes_rig": False}, e)
    s, e, _ = lp(sim, "POST", "/estimate", {"operation": "animate", "size": 256})
    check("lowpoly estimate size", s == 200 and e["cost"] == 1.0 and e["size"] == 256, e)
    s, e, _ = lp(sim, "POST", "/estimate", {"operation": "revise", "size": 128, "style": "rd_lowpoly__blocky_lite"})
    check("lowpoly estimate lite", s == 200 and e["cost"] == 0.08, e)
    check("lowpoly estimate bad style",
          is_error(lp(sim, "POST", "/estimate", {"style": "rd_fast__default"}), 400, "lowpoly_invalid_style"))
    check("lowpoly estimate bad size 422", is_error(lp(sim, "POST", "/estimate", {"size": 48}), 422, "validation_error"))
    check("lowpoly estimate bad operation 422",
          is_error(lp(sim, "POST", "/estimate", {"operation": "paint"}), 422, "validation_error"))
    check("lowpoly estimate unknown asset",
          is_error(lp(sim, "POST", "/estimate", {"operation": "split", "asset_id": "nope"}), 404,
                   "lowpoly_asset_not_found"))
    check("lowpoly estimate free", money(sim) == 20)


def test_lowpoly_generate(sim):
    before = money(sim)
    s, a, h = lp(sim, "POST", "/generate", {"prompt": "a small red mushroom", "size": 64})
    check("lowpoly generate 202", s == 202 and a["status"] == "accepted" and a["operation"] == "generate"
          and a["cost"] == 0.85 and a["size"] == 64 and a["size_source"] == "requested"
          and a["request_id"] == a["task_id"] and h.get("X-RD-Request-ID") == a["task_id"], (a, h))
    check("lowpoly charged at admission", round(before - money(sim), 6) == 0.85)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}")
    check("lowpoly task pending", s == 200 and t["status"] == "pending" and t["asset_id"] == a["asset_id"]
          and "result" not in t, t)
    s, m, _ = lp(sim, "GET", f"/assets/{a['asset_id']}")
    check("lowpoly model while generating", s == 200 and m["versions"] == [] and m["status"] == "pending"
          and m["active_task_id"] == a["task_id"], m)
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}", version="v1")
    r = t.get("result", {})
    check("lowpoly task succeeded", s == 200 and t["status"] == "succeeded" and r.get("status") == "ready"
          and r.get("style") == "rd_lowpoly__detailed" and r.get("size") == 64 and r.get("mode") == "auto", t)
    v = r["versions"][0]
    check("lowpoly version fields", v["number"] == 1 and v["kind"] == "generate" and v["rigged"] is False
          and v["animations"] == [] and v["prompt"] == "a small red mushroom"
          and len(v["stats"]["size_px"]) == 3 and v["stats"]["triangles"] > 0, v)
    s, _, png = fetch(sim, v["render_url"])
    check("lowpoly render_url is a PNG", s == 200 and decode_png(png)[0] > 0)
    s, _, png = fetch(sim, v["turntable_url"])
    check("lowpoly turntable is 8 views", s == 200 and decode_png(png) == (8 * 64, 64))
    s, _, glb = fetch(sim, v["scene_url"])
    check("lowpoly scene_url is a glb", s == 200 and glb[:4] == b"glTF")

    s, a, _ = lp(sim, "POST", "/generate", {"reference_images": [tiny_png()]})
    check("lowpoly image-only auto 64", s == 202 and a["size"] == 64 and a["size_source"] == "auto", a)
    s, a, _ = lp(sim, "POST", "/generate", {"prompt": "a crate", "style": "rd_lowpoly__blocky_lite", "size": 256})
    check("lowpoly lite price", s == 202 and a["cost"] == 0.1, a)
    finish(sim)

    checks = [
        ("unknown field", {"prompt": "x", "seed": 1}, 422, "validation_error"),
        ("prompt too long", {"prompt": "x" * 251}, 422, "validation_error"),
        ("bad size", {"prompt": "x", "size": 100}, 422, "validation_error"),
        ("bad mode", {"prompt": "x", "mode": "best"}, 422, "validation_error"),
        ("five references", {"prompt": "x", "reference_images": [tiny_png()] * 5}, 422, "validation_error"),
        ("custom_id too long", {"prompt": "x", "custom_id": "c" * 129}, 422, "validation_error"),
        ("no prompt", {}, 400, "lowpoly_prompt_required"),
        ("blank prompt", {"prompt": "  "}, 400, "lowpoly_prompt_required"),
        ("2D style", {"prompt": "x", "style": "rd_fast__default"}, 400, "lowpoly_invalid_style"),
        ("bad reference", {"prompt": "x", "reference_images": ["bm90IGFuIGltYWdl"]}, 400,
         "lowpoly_invalid_reference_image"),
        ("bad palette", {"prompt": "x", "input_palette": "bm90IGFuIGltYWdl"}, 400, "lowpoly_invalid_palette"),
        ("unknown reference model", {"prompt": "x", "reference_models": ["nope"]}, 404, "lowpoly_asset_not_found"),
    ]
    before = money(sim)
    for name, body, status, code in checks:
        check(f"lowpoly generate {name}", is_error(lp(sim, "POST", "/generate", body), status, code), body)
    big = base64.b64encode(base64.b64decode(tiny_png()) + b"\0" * (8 << 20)).decode()
    check("lowpoly reference over 8 MB", is_error(lp(sim, "POST", "/generate", {"prompt": "x", "reference_images": [big]}),
                                                  400, "lowpoly_reference_image_too_large"))
    check("lowpoly refusals not charged", money(sim) == before)

    sim.json("POST", "/_sim/keys", {"key": "rdpk-lowpoly-poor", "balance": 0.2}, token=None)
    r = lp(sim, "POST", "/generate", {"prompt": "a boat"}, token="rdpk-lowpoly-poor")
    check("lowpoly 402 not_enough_balance", is_error(r, 402, "not_enough_balance")
          and r[1]["error"]["details"] == {"balance": 0.2, "cost": 0.5}, r)

    before = money(sim)
    s, a, _ = lp(sim, "POST", "/generate", {"prompt": "FAILME a statue"})
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}")
    check("lowpoly FAILME fails", s == 200 and t["status"] == "failed"
          and t["error"]["code"] == "lowpoly_generate_failed" and t["error"]["status_code"] == 400
          and t["error"]["request_id"] == a["task_id"], t)
    check("lowpoly failure refunded", money(sim) == before)
    s, m, _ = lp(sim, "GET", f"/assets/{a['asset_id']}")
    check("lowpoly failed model", s == 200 and m["status"] == "failed" and m["versions"] == [] and "error" in m, m)
    check("lowpoly another key's task", is_error(lp(sim, "GET", f"/tasks/{a['task_id']}", token=LP_OTHER), 404,
                                                 "lowpoly_task_not_found"))
    check("lowpoly unknown task", is_error(lp(sim, "GET", "/tasks/nope"), 404, "lowpoly_task_not_found"))


def test_lowpoly_idempotency(sim):
    body = {"prompt": "a lantern"}
    before = money(sim)
    first = lp(sim, "POST", "/generate", body, key="lp-key-1")
    again = lp(sim, "POST", "/generate", body, key="lp-key-1", version="v1")
    check("lowpoly Idempotency-Key replay", first[0] == again[0] == 202 and first[1] == again[1]
          and again[2].get("X-RD-Request-ID") == first[1]["task_id"], (first, again))
    check("lowpoly replay not charged", round(before - money(sim), 6) == 0.5)
    check("lowpoly Idempotency-Key conflict",
          is_error(lp(sim, "POST", "/generate", {"prompt": "a torch"}, key="lp-key-1"), 409, "idempotency_conflict"))
    check("lowpoly bad Idempotency-Key", is_error(lp(sim, "POST", "/generate", body, key="two words"), 400,
                                                  "invalid_idempotency_key"))
    finish(sim)
    body = {"prompt": "a shield", "custom_id": "lp-custom-1"}
    first = lp(sim, "POST", "/generate", body)
    again = lp(sim, "POST", "/generate", body)
    check("lowpoly custom_id replay", first[1] == again[1] and first[0] == 202, (first, again))
    check("lowpoly custom_id conflict", is_error(lp(sim, "POST", "/generate", {"prompt": "a sword", "custom_id": "lp-custom-1"}),
                                                 409, "idempotency_conflict"))
    ledger = sim.json("GET", "/_sim/ledger", token=None)[1]["entries"]
    charges = [e for e in ledger if e["key"] == LP and e["type"] == "charge" and first[1]["task_id"] in e["what"]]
    check("lowpoly one ledger charge per job", len(charges) == 1 and charges[0]["what"].startswith("lowpoly.generate"),
          charges)
    finish(sim)


def test_lowpoly_jobs(sim):
    asset, _ = made_model(sim, "a knight")
    check("lowpoly rerig needs a rig",
          is_error(lp(sim, "POST", f"/assets/{asset}/rerig", {}), 409, "lowpoly_not_rigged"))
    check("lowpoly revise needs prompt", is_error(lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": " "}), 400,
                                                  "lowpoly_prompt_required"))
    check("lowpoly revise prompt missing 422",
          is_error(lp(sim, "POST", f"/assets/{asset}/revise", {}), 422, "validation_error"))
    check("lowpoly animation name 1-64",
          is_error(lp(sim, "POST", f"/assets/{asset}/animate", {"prompt": "run", "animation": "a" * 65}), 422,
                   "validation_error"))
    check("lowpoly version must exist",
          is_error(lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "taller", "version": 9}), 404,
                   "lowpoly_version_not_found"))
    check("lowpoly version >= 1",
          is_error(lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "taller", "version": 0}), 422,
                   "validation_error"))
    check("lowpoly job on unknown model",
          is_error(lp(sim, "POST", "/assets/nope/revise", {"prompt": "taller"}), 404, "lowpoly_asset_not_found"))
    check("lowpoly job on another key's model",
          is_error(lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "taller"}, token=LP_OTHER), 404,
                   "lowpoly_asset_not_found"))

    before = money(sim)
    s, a, _ = lp(sim, "POST", f"/assets/{asset}/animate", {"prompt": "walk cycle"})
    check("lowpoly animate 202, price only", s == 202 and a["operation"] == "animate" and a["cost"] == 0.25
          and a["asset_id"] == asset and round(before - money(sim), 6) == 0.25, a)
    again = lp(sim, "POST", f"/assets/{asset}/animate", {"prompt": "walk cycle"}, key=None)
    check("lowpoly busy without a key", is_error(again, 409, "lowpoly_asset_busy"), again)
    s, k1, _ = lp(sim, "POST", f"/assets/{asset}/split", {}, key="lp-split-1")
    check("lowpoly split refused while busy", is_error((s, k1, _), 409, "lowpoly_asset_busy"))
    check("lowpoly one job per model", is_error(lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "x"}), 409,
                                                "lowpoly_asset_busy"))
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}")
    latest = t["result"]["versions"][-1]
    check("lowpoly animate result", t["status"] == "succeeded" and t["animation"] == "walk_cycle"
          and latest["number"] == 2 and latest["kind"] == "animate" and latest["rigged"]
          and latest["animations"] == ["walk_cycle"], t)

    s, a, _ = lp(sim, "POST", f"/assets/{asset}/rerig", {"version": 2}, key="lp-rerig-1")
    check("lowpoly rerig on a rigged version", s == 202 and a["cost"] == 0.1, a)
    before = money(sim)
    r = lp(sim, "POST", f"/assets/{asset}/rerig", {"version": 2}, key="lp-rerig-1", version="v1")
    check("lowpoly retry while its job runs", r[0] == 202 and r[1] == a and money(sim) == before, r)
    finish(sim)
    s, a, _ = lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "with a red cape", "version": 1})
    check("lowpoly revise", s == 202 and a["cost"] == 0.35, a)
    finish(sim)
    s, m, _ = lp(sim, "GET", f"/assets/{asset}")
    check("lowpoly versions after jobs", [v["kind"] for v in m["versions"]] == ["generate", "animate", "rerig", "revise"]
          and m["versions"][3]["rigged"] is False, m["versions"])

    s, a, _ = lp(sim, "POST", f"/assets/{asset}/split", {"prompt": "body and sword"})
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}")
    check("lowpoly split pieces", t["status"] == "succeeded" and len(t["pieces"]) >= 2
          and all(p["versions"][0]["kind"] == "split" for p in t["pieces"]), t)
    before = money(sim)
    s, a, _ = lp(sim, "POST", f"/assets/{asset}/revise", {"prompt": "FAILME"})
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{a['task_id']}")
    check("lowpoly failed revise refunded", t["status"] == "failed" and t["error"]["code"] == "lowpoly_revise_failed"
          and money(sim) == before, t)
    s, m, _ = lp(sim, "GET", f"/assets/{asset}")
    check("lowpoly failed revise adds no version", len(m["versions"]) == 4 and m["status"] == "ready", m)

    # "a few jobs per account": the fourth running one waits.
    models = [made_model(sim, f"a tower {i}")[0] for i in range(4)]
    for m_id in models[:3]:
        lp(sim, "POST", f"/assets/{m_id}/split", {})
    r = lp(sim, "POST", f"/assets/{models[3]}/split", {})
    check("lowpoly 429 too many jobs", is_error(r, 429, "lowpoly_too_many_jobs") and int(r[2].get("Retry-After", 0)) >= 1, r)
    finish(sim)
    check("lowpoly jobs free again", lp(sim, "POST", f"/assets/{models[3]}/split", {})[0] == 202)
    finish(sim)


def test_lowpoly_models(sim):
    asset, task = made_model(sim, "a cactus")
    lp(sim, "POST", f"/assets/{asset}/animate", {"prompt": "wave", "animation": "wave"})
    finish(sim)
    s, page, _ = lp(sim, "GET", "/assets?limit=2")
    check("lowpoly list newest first", s == 200 and len(page["items"]) == 2 and page["items"][0]["asset_id"] == asset
          and "next_before_id" in page, page)
    s, rest, _ = lp(sim, "GET", f"/assets?limit=100&before_id={page['next_before_id']}")
    ids = [i["asset_id"] for i in page["items"] + rest["items"]]
    check("lowpoly list pages", s == 200 and len(ids) == len(set(ids)) and "next_before_id" not in rest, rest)
    s, one, _ = lp(sim, "GET", f"/assets?inference_id={task}")
    check("lowpoly list by inference_id", s == 200 and [i["asset_id"] for i in one["items"]] == [asset], one)
    check("lowpoly list limit 422", is_error(lp(sim, "GET", "/assets?limit=101"), 422, "validation_error"))
    s, other, _ = lp(sim, "GET", "/assets", token=LP_OTHER)
    check("lowpoly list only own", s == 200 and other["items"] == [], other)
    check("lowpoly read unknown", is_error(lp(sim, "GET", "/assets/nope"), 404, "lowpoly_asset_not_found"))
    check("lowpoly read another key's", is_error(lp(sim, "GET", f"/assets/{asset}", token=LP_OTHER), 404,
                                                 "lowpoly_asset_not_found"))

    kinds = {"godot": b"glTF", "blender": b"glTF", "obj": b"PK\x03\x04", "minecraft": b"PK\x03\x04",
             "axis_views": b"PK\x03\x04", "atlas": b"\x89PNG", "turntable": b"\x89PNG", "gif": b"GIF89a",
             "sheet": b"PK\x03\x04", "blockbench": b"{"}
    before = money(sim)
    for target, magic in kinds.items():
        s, e, _ = lp(sim, "POST", f"/assets/{asset}/export", {"target": target})
        ok = s == 200 and e["target"] == target and e["version"] == 2 and "?expires=" in e["url"]
        fs, fh, data = fetch(sim, e["url"]) if ok else (0, {}, b"")
        check(f"lowpoly export {target}", ok and fs == 200 and data.startswith(magic)
              and fh.get("Content-Type") == e["content_type"] and e["filename"].endswith(e["url"].split("?")[0][-4:]),
              (e, data[:8]))
    glb = fetch(sim, lp(sim, "POST", f"/assets/{asset}/export", {"target": "unity"})[1]["url"])[2]
    check("lowpoly glb header", struct.unpack("<4sII", glb[:12]) == (b"glTF", 2, len(glb)))
    s, e, _ = lp(sim, "POST", f"/assets/{asset}/export", {"target": "mp4", "animation": "wave"}, version="v1")
    check("lowpoly export mp4", s == 200 and fetch(sim, e["url"])[2][4:8] == b"ftyp", e)
    s, e, _ = lp(sim, "POST", f"/assets/{asset}/export", {"target": "gif", "animation": "wave", "version": 2})
    check("lowpoly export gif decodes", s == 200 and decode_gif(fetch(sim, e["url"])[2])[2] == 8)
    check("lowpoly exports free", money(sim) == before)
    check("lowpoly export mp4 without animation",
          is_error(lp(sim, "POST", f"/assets/{asset}/export", {"target": "mp4"}), 400, "lowpoly_export_failed"))
    check("lowpoly export unknown target",
          is_error(lp(sim, "POST", f"/assets/{asset}/export", {"target": "fbx"}), 400, "lowpoly_invalid_export_target"))
    check("lowpoly export unknown animation",
          is_error(lp(sim, "POST", f"/assets/{asset}/export", {"target": "gif", "animation": "dance"}), 404,
                   "lowpoly_animation_not_found"))
    check("lowpoly export unknown version",
          is_error(lp(sim, "POST", f"/assets/{asset}/export", {"target": "gif", "version": 7}), 404,
                   "lowpoly_version_not_found"))
    check("lowpoly export target required",
          is_error(lp(sim, "POST", f"/assets/{asset}/export", {}), 422, "validation_error"))
    s, e, _ = lp(sim, "POST", f"/assets/{asset}/export", {"target": "atlas"})
    sim.json("POST", "/_sim/clock", {"advance_seconds": 16 * 60}, token=None)
    check("lowpoly export URL expires", fetch(sim, e["url"])[0] == 403)

    s, m, h = lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "color_reducer", "color_count": 8})
    check("lowpoly recolor reducer free", s == 200 and m["versions"][-1]["kind"] == "recolor"
          and m["versions"][-1]["animations"] == ["wave"] and money(sim) == before and h.get("X-RD-Request-ID"), m)
    s, m, _ = lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "color_style_transfer", "reference_image": tiny_png()})
    check("lowpoly recolor style transfer $0.01", s == 200 and round(before - money(sim), 6) == 0.01, m)
    check("lowpoly recolor input required",
          is_error(lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "palette_converter"}), 400,
                   "lowpoly_recolor_input_required"))
    check("lowpoly recolor bad palette",
          is_error(lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "palette_converter", "palette_image": "eA=="}),
                   400, "lowpoly_invalid_palette"))
    check("lowpoly recolor color_count 2-256",
          is_error(lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "color_reducer", "color_count": 1}), 422,
                   "validation_error"))
    check("lowpoly recolor dither_strength 0-10",
          is_error(lp(sim, "POST", f"/assets/{asset}/recolor", {"tool": "color_reducer", "dither_strength": 11}),
                   422, "validation_error"))
    check("lowpoly recolor tool required",
          is_error(lp(sim, "POST", f"/assets/{asset}/recolor", {}), 422, "validation_error"))

    s, m, _ = lp(sim, "DELETE", f"/assets/{asset}/versions/2/animations/wave")
    check("lowpoly delete animation", s == 200 and m["versions"][1]["animations"] == [], m)
    check("lowpoly delete animation again",
          is_error(lp(sim, "DELETE", f"/assets/{asset}/versions/2/animations/wave"), 404, "lowpoly_animation_not_found"))
    check("lowpoly delete animation unknown version",
          is_error(lp(sim, "DELETE", f"/assets/{asset}/versions/9/animations/wave"), 404, "lowpoly_version_not_found"))

    # A model still generating is not ready for export.
    s, a, _ = lp(sim, "POST", "/generate", {"prompt": "a well"})
    check("lowpoly export not ready",
          is_error(lp(sim, "POST", f"/assets/{a['asset_id']}/export", {"target": "godot"}), 409, "lowpoly_asset_not_ready"))
    finish(sim)


def test_lowpoly_activity_and_faults(sim):
    asset, task = made_model(sim, "a mailbox")
    s, entry, _ = sim.json("GET", f"/v2/inferences/requests/{task}", token=LP)
    check("lowpoly job in API Activity", s == 200 and entry["operation"] == "lowpoly.generate"
          and entry["mode"] == "async" and entry["status"] == "succeeded" and entry["charged"]
          and entry["balance_cost"] == 0.5 and entry["request"]["asset_id"] == asset
          and entry["outputs"] and entry["http_status"] == 202, entry)
    s, e, h = lp(sim, "POST", f"/assets/{asset}/export", {"target": "obj"})
    s, entry, _ = sim.json("GET", f"/v2/inferences/requests/{h['X-RD-Request-ID']}", token=LP)
    check("lowpoly export in API Activity", s == 200 and entry["operation"] == "lowpoly.export"
          and entry["request"]["version"] == 1 and entry["outputs"][0]["media_type"] == "application/zip", entry)
    ops = {i["operation"] for i in sim.json("GET", "/v2/inferences/requests?limit=100", token=LP)[1]["items"]}
    check("lowpoly activity operations", {"lowpoly.generate", "lowpoly.animate", "lowpoly.revise", "lowpoly.split",
                                          "lowpoly.rerig", "lowpoly.recolor", "lowpoly.export"} <= ops, ops)

    before = money(sim)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/lowpoly/generate", "status": 503}, token=None)
    check("lowpoly fault injected", is_error(lp(sim, "POST", "/generate", {"prompt": "a bell"}), 503,
                                             "service_unavailable"))
    check("lowpoly faulted call not charged", money(sim) == before)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/lowpoly/generate", "after_admission": True,
                                         "status": 502}, token=None)
    lost = lp(sim, "POST", "/generate", {"prompt": "a bell"}, key="lp-lost-1")
    retry = lp(sim, "POST", "/generate", {"prompt": "a bell"}, key="lp-lost-1")
    check("lowpoly lost answer, retried", lost[0] == 502 and retry[0] == 202
          and round(before - money(sim), 6) == 0.5, (lost, retry))
    s, t, _ = lp(sim, "GET", f"/tasks/{retry[1]['task_id']}")
    check("lowpoly clock: job pending before", s == 200 and t["status"] == "pending", t)
    finish(sim)
    s, t, _ = lp(sim, "GET", f"/tasks/{retry[1]['task_id']}")
    check("lowpoly clock: job done after", t["status"] == "succeeded", t)
    check("lowpoly key 2 sees none", sim.json("GET", "/v2/lowpoly/assets", token=KEY2)[1]["items"] == [])
