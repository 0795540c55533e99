#!/usr/bin/env python3
"""Self-test for rd-sim, the simulated RetroDiffusion API (Python standard library only).

usage: sim_selftest.py PATH/TO/rd-sim

Starts the simulator on a free port, checks every endpoint against the documented contract
(shapes, error codes, prices, images that really decode), then stops it with SIGTERM.
Prints one line per failed check and closes with "N passed, N failed".
"""
import base64
import json
import os
import re
import signal
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

from sim_selftest_support import (FAILED, KEY1, KEY2, PASSED, Sim, balance, check, decode_gif,  # noqa: F401
                                  decode_png, image_of, infer, is_invalid, tiny_png)


def test_status_and_auth(sim):
    s, b, _ = sim.json("GET", "/v1/status", token=None)
    check("status shape", s == 200 and b["status"]["rd_pro"] == "ok" and "updated_at" in b, b)
    s, b, _ = sim.json("GET", "/v1/inferences/credits")
    check("credits shape", s == 200 and b == {"credits": 0, "balance": 100.0}, b)
    s, b, _ = sim.json("POST", "/v1/inferences", {}, token=None)
    check("missing token 401", s == 401 and b["detail"]["code"] == "missing_token", b)
    s, b, _ = sim.json("POST", "/v1/inferences", {}, token="rdpk-unknown")
    check("unknown token 401", s == 401, (s, b))
    s, b, _ = sim.json("GET", "/v1/inferences/credits", token="rdpk-unknown")
    check("unknown token on credits 403", s == 403, (s, b))
    s, b, _ = sim.json("POST", "/v1/inferences", {}, token="rdpk-no-access")
    check("no-access key 403", s == 403, (s, b))
    s, b, _ = sim.json("GET", "/v1/nothing-here")
    check("unknown path 404 json", s == 404 and b == {"detail": "Not Found"}, (s, b))
    s, b, h = sim.json("GET", "/v1/inferences")
    check("wrong method 405", s == 405 and h.get("Allow") == "POST"
          and b == {"detail": "Method Not Allowed"}, (s, b))


def test_sync_inference(sim):
    before = balance(sim)
    s, b, _ = infer(sim)
    check("default style is rd_fast", s == 200 and b["model"] == "rd_fast", (s, b))
    check("rd_fast 64x64 cost", b["balance_cost"] == 0.017, b.get("balance_cost"))
    check("created_at unix int", isinstance(b["created_at"], int), b.get("created_at"))
    check("remaining balance", abs(b["remaining_balance"] - (before - 0.017)) < 1e-9, b)
    check("one 64x64 png", [image_of(x)[:3] for x in b["base64_images"]] == [("png", 64, 64)], b)
    check("balance charged", abs(balance(sim) - (before - 0.017)) < 1e-9)
    check("unset fields are null (FastAPI)", b["output_urls"] is None and b["output_images"] is None
          and b["downloadable_data"] is None, b)
    s, b, _ = infer(sim, prompt_style="rd_pro__default", width=256, height=256, num_images=2)
    check("rd_pro 2 images 0.36", s == 200 and b["balance_cost"] == 0.36 and b["model"] == "rd_pro", b)
    check("rd_pro 2 pngs", [image_of(x)[:3] for x in b["base64_images"]] == [("png", 256, 256)] * 2)
    s, b, _ = infer(sim, prompt_style="rd_plus__default", width=128, height=128, num_images=3)
    check("rd_plus cost", b["balance_cost"] == 0.1, b)  # (16384+50000)/2e6 x3 = 0.099576
    s, b, _ = infer(sim, prompt_style="rd_plus__mc_item", width=32, height=32)
    check("low-res cost", b["balance_cost"] == 0.025, b)  # (1024+13700)/6e5=0.02454
    s, b, _ = infer(sim, prompt_style="rd_mini__fast_mc_item", width=32, height=32)
    check("rd_mini routed model", s == 200 and b["model"] == "rd_fast", b)
    s, b, _ = infer(sim, prompt_style="rd_tile__tileset", width=32, height=32)
    check("tileset flat 0.10", b["balance_cost"] == 0.1 and b["model"] == "rd_tile", b)
    s, b, _ = infer(sim, prompt_style="default:rd_flux")
    check("internal rd_fast id accepted", s == 200 and b["model"] == "rd_fast", (s, b))
    s, b, _ = infer(sim, unknown_future_field=True, negative="blurry", seed=7)
    check("unknown fields ignored", s == 200, (s, b))
    s, b, _ = infer(sim, upscale_output_factor=2)
    check("upscale x2", image_of(b["base64_images"][0])[1:3] == (128, 128), b)
    s, b, _ = infer(sim, upscale_output_factor=None)
    check("upscale null native", image_of(b["base64_images"][0])[1:3] == (64, 64), b)


def test_extras(sim):
    pal = tiny_png(8, 1)
    _, b, _ = infer(sim, remove_bg=True, return_non_bg_removed=True)
    check("non-bg-removed extra", len(b["base64_images"]) == 2, len(b["base64_images"]))
    _, b, _ = infer(sim, input_palette=pal, return_pre_palette=True)
    check("pre-palette extra", len(b["base64_images"]) == 2, len(b["base64_images"]))
    _, b, _ = infer(sim, input_palette=pal, return_pre_palette=True, remove_bg=True,
                    return_non_bg_removed=True, num_images=2)
    check("both extras", len(b["base64_images"]) == 4, len(b["base64_images"]))
    _, b, _ = infer(sim, remove_bg=True)
    check("remove_bg alone one image", len(b["base64_images"]) == 1)
    s, b, _ = infer(sim, prompt_style="rd_pro__inventory_items", width=256, height=256,
                    prompt="sword, shield", include_downloadable_data=True)
    dj = b.get("downloadable_data", {}).get("downloadable_json", {})
    check("downloadable_data shape", s == 200 and dj.get("type") == "item_atlas"
          and dj["filename"] == "item_atlas.json" and dj["data"]["meta"]["image_w"] == 256
          and {"h", "w", "x", "y", "id", "name", "mask_h", "mask_w", "mask_x", "mask_y"}
          <= set(dj["data"]["sprites"][0]), b)
    s, b, _ = infer(sim, upload_outputs=True, num_images=2)
    check("upload_outputs urls", s == 200 and b["base64_images"] == [] and len(b["output_urls"]) == 2, b)
    st, hdr, data = sim.call("GET", b["output_urls"][0][len(sim.base):], token=None)
    check("hosted output served", st == 200 and hdr["Content-Type"] == "image/png"
          and decode_png(data) == (64, 64), (st, hdr))


def test_animations(sim):
    s, b, _ = infer(sim, prompt_style="animation__four_angle_walking", width=64, height=64)
    img = image_of(b["base64_images"][0])
    check("legacy walking name -> 48x48 gif", s == 200 and img[:3] == ("gif", 48, 48) and img[4],
          (s, b if s != 200 else img))
    check("animation cost 0.07", b["balance_cost"] == 0.07 and b["model"] == "rd_animation", b)
    s, b, _ = infer(sim, prompt_style="rd_animation__four_angle_walking", width=48, height=48,
                    return_spritesheet=True)
    check("spritesheet png", image_of(b["base64_images"][0])[:3] == ("png", 192, 192), b)
    s, b, _ = infer(sim, prompt_style="animation__walking_and_idle", width=48, height=48,
                    frames_duration=8)
    check("walking_and_idle 8 frames", s == 200 and image_of(b["base64_images"][0])[3] == 8, b)
    s, b, _ = infer(sim, prompt_style="rd_animation__vfx", width=40, height=40)
    check("vfx square ok", s == 200, b)
    check("vfx not square 400", is_invalid(infer(sim, prompt_style="rd_animation__vfx", width=40, height=48)))
    check("any_animation wrong size 400", is_invalid(infer(sim, prompt_style="rd_animation__any_animation", width=48, height=48)))
    s, b, _ = infer(sim, prompt_style="rd_animation__8_dir_rotation", width=80, height=80)
    check("8_dir_rotation 0.25", s == 200 and b["balance_cost"] == 0.25, b)
    check("advanced needs input_image",
          is_invalid(infer(sim, prompt_style="rd_advanced_animation__walking")))
    s, b, _ = infer(sim, prompt_style="rd_advanced_animation__walking", input_image=tiny_png(64, 64),
                    frames_duration=6)
    check("advanced walking 0.14 gif", s == 200 and b["balance_cost"] == 0.14
          and image_of(b["base64_images"][0])[:4] == ("gif", 64, 64, 6), b)
    s, b, _ = infer(sim, prompt_style="rd_advanced_animation__custom_action", input_image=tiny_png())
    check("custom_action 0.25", s == 200 and b["balance_cost"] == 0.25, b)


def test_validation(sim):
    before = balance(sim)
    s, b, _ = sim.json("POST", "/v1/inferences", {"width": 64, "height": 64})
    check("missing prompt 422", s == 422 and b["detail"][0]["loc"] == ["body", "prompt"]
          and b["detail"][0]["type"] == "missing", b)
    s, b, _ = sim.json("POST", "/v1/inferences", {"prompt": "x", "width": "64", "height": 64})
    check("string width 422", s == 422 and b["detail"][0]["loc"] == ["body", "width"], b)
    s, b, _ = sim.json("POST", "/v1/inferences", raw=b'{"prompt": "x",')
    check("malformed json 422", s == 422 and b["detail"][0]["type"] == "json_invalid", b)
    s, b, _ = sim.json("POST", "/v1/inferences", raw=b'[1]')
    check("array body 422", s == 422, b)
    s, b, _ = sim.json("POST", "/v1/inferences", raw=b'{}', ctype="text/plain")
    check("non-json content type 422", s == 422, b)
    s, b, _ = infer(sim, remove_bg="yes", reference_images=[1])
    check("two type errors 422", s == 422 and len(b["detail"]) == 2, b)
    bad = {
        "unknown style": dict(prompt_style="rd_fast__nope"),
        "too small": dict(width=32),
        "too big for style": dict(width=512, height=512),
        "beyond api": dict(width=1024),
        "num_images 0": dict(num_images=0),
        "num_images over max": dict(num_images=16),
        "pro batch > 4": dict(prompt_style="rd_pro__default", num_images=5),
        "tile_variation needs input": dict(prompt_style="rd_tile__tile_variation", width=32, height=32),
        "pro edit needs input": dict(prompt_style="rd_pro__edit"),
        "refs on rd_fast": dict(reference_images=[tiny_png()]),
        "10 refs on rd_pro": dict(prompt_style="rd_pro__default", reference_images=[tiny_png()] * 10),
        "6 refs on 8_dir": dict(prompt_style="rd_animation__8_dir_rotation", width=80, height=80,
                                reference_images=[tiny_png()] * 6),
        "strength > 1": dict(input_image=tiny_png(), strength=1.5),
        "frames_duration 5": dict(prompt_style="rd_animation__vfx", width=32, height=32, frames_duration=5),
        "data uri prefix": dict(input_image="data:image/png;base64," + tiny_png()),
        "bad base64": dict(input_image="!!!notbase64"),
        "not an image": dict(input_image=base64.b64encode(b"hello world!").decode()),
        "bad palette": dict(input_palette="AAAA"),
        "bad extra_input_image": dict(prompt_style="rd_tile__tileset_advanced", width=16, height=16,
                                      extra_input_image="AAAA"),
        "upscale 0": dict(upscale_output_factor=0),
        "inventory below 96": dict(prompt_style="rd_pro__inventory_items"),
    }
    for name, fields in bad.items():
        check(f"400 {name}", is_invalid(infer(sim, **fields)), infer(sim, **fields))
    s, b, _ = infer(sim, prompt_style="rd_pro__default", reference_images=[tiny_png()] * 9)
    check("9 refs on rd_pro ok", s == 200, b)
    s, b, _ = infer(sim, input_image=tiny_png(), strength=0)
    check("strength 0 ok", s == 200, b)
    after = balance(sim)
    check("rejected requests not charged", abs(after - (before - 0.18 - 0.017)) < 1e-9, (before, after))


def test_cost_and_balance(sim):
    before = balance(sim)
    s, b, _ = infer(sim, prompt_style="rd_pro__default", width=256, height=256, num_images=2,
                    check_cost=True)
    check("check_cost shape", s == 200 and b["model"] == "check_cost" and b["balance_cost"] == 0.36
          and b["base64_images"] == [] and b["output_images"] == [] and b["output_urls"] == []
          and b["remaining_balance"] == before, b)
    check("check_cost free", balance(sim) == before)
    sim.json("POST", "/_sim/keys", {"key": "rdpk-poor", "balance": 0.01}, token=None)
    s, b, _ = infer(sim, token="rdpk-poor", prompt_style="rd_pro__default")
    check("not enough balance shape", s == 400 and b == {"detail": [{"msg": "Not enough balance."}]}, b)
    check("poor key not charged", balance(sim, "rdpk-poor") == 0.01)
    s, b, _ = infer(sim, token="rdpk-poor", prompt_style="rd_pro__default", check_cost=True)
    check("check_cost with low balance", s == 200 and b["balance_cost"] == 0.18, b)
    s, b, _ = infer(sim, prompt="FAILME please")
    check("sync FAILME 500", s == 500 and b["detail"]["code"] == "inference_failed", b)
    check("sync FAILME refunded", balance(sim) == before)
    s, led, _ = sim.json("GET", "/_sim/ledger", token=None)
    check("ledger shape", s == 200 and "balances" in led and led["entries"][-1]["type"] == "refund", led)


def test_async(sim):
    sim.json("POST", "/_sim/config", {"async_duration_ms": 600}, token=None)
    before = balance(sim)
    s, b, _ = infer(sim, prompt_style="rd_pro__default", **{"async": True})
    check("async accepted shape", s == 200 and b["status"] == "accepted"
          and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", b["task_id"])
          and b["message"] == "Inference accepted. Poll GET /v1/inferences/tasks/{task_id} for status.", b)
    check("async charged at acceptance", abs(balance(sim) - (before - 0.18)) < 1e-9)
    tid, seen = b["task_id"], []
    for _ in range(60):
        s, t, _ = sim.json("GET", f"/v1/inferences/tasks/{tid}")
        if t["status"] in ("pending", "running"):
            check("unfinished task: result and error null", t["result"] is None and t["error"] is None, t)
        if not seen or seen[-1] != t["status"]:
            seen.append(t["status"])
        if t["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    check("async states", seen == ["pending", "running", "succeeded"], seen)
    check("async result shape", t["task_id"] == tid and t["result"]["model"] == "rd_pro"
          and image_of(t["result"]["base64_images"][0])[:3] == ("png", 64, 64)
          and t["result"]["balance_cost"] == 0.18, t)
    s, _, _ = sim.json("GET", f"/v1/inferences/tasks/{tid}", token=KEY2)
    check("task of another key 404", s == 404)
    s, b, _ = sim.json("GET", "/v1/inferences/tasks/00000000-0000-4000-8000-000000000000")
    check("unknown task 404", s == 404 and b["detail"]["code"], b)
    sim.json("POST", "/_sim/config", {"async_duration_ms": 100}, token=None)
    before = balance(sim)
    _, b, _ = infer(sim, prompt="FAILME", **{"async": True})
    check("failing task charged first", abs(balance(sim) - (before - 0.017)) < 1e-9)
    time.sleep(0.2)
    _, t, _ = sim.json("GET", f"/v1/inferences/tasks/{b['task_id']}")
    check("failed task shape", t["status"] == "failed"
          and t["error"] == {"status_code": 500, "detail": "Unable to run inference."} and t["result"] is None, t)
    check("failed task refunded", balance(sim) == before)
    sim.json("POST", "/_sim/config", {"async_duration_ms": 1000}, token=None)


def test_user_styles(sim):
    body = {"name": "My RD Pro Style", "description": "d", "style_icon": "sparkles",
            "reference_images": [tiny_png()], "apply_prompt_fixer": True,
            "user_prompt_template": "Pixel art styled {prompt}", "min_width": 192, "min_height": 192}
    s, st, _ = sim.json("POST", "/v1/styles", body)
    check("create style 201", s == 201 and st["type"] == "user"
          and re.fullmatch(r"user__my_rd_pro_style_[0-9a-f]{8}", st["prompt_style"])
          and st["id"].startswith("user_style_") and st["created_at"] == st["updated_at"], (s, st))
    bad = {
        "unknown field": ({"name": "x", "prompt_style": "rd_pro__default"}, "prompt_style"),
        "bad icon": ({"name": "x", "style_icon": "banana"}, "style_icon"),
        "two refs": ({"name": "x", "reference_images": [tiny_png(), tiny_png()]}, "reference_images"),
        "min_width alone": ({"name": "x", "min_width": 128}, "min_height"),
        "min out of range": ({"name": "x", "min_width": 300, "min_height": 300}, "between"),
        "template without {prompt}": ({"name": "x", "user_prompt_template": "no token"}, "{prompt}"),
    }
    for name, (b, word) in bad.items():
        s, r, _ = sim.json("POST", "/v1/styles", b)
        check(f"style 400 {name}", s == 400 and word in r["detail"]["message"], (s, r))
    s, r, _ = sim.json("POST", "/v1/styles", {"name": "ok", "min_width": 64, "min_height": 64})
    check("style min 64 accepted", s == 201, r)
    s, r, _ = sim.json("POST", "/v1/styles", {"description": "no name"})
    check("style without name 422", s == 422 and r["detail"][0]["loc"] == ["body", "name"], r)
    s, b, _ = infer(sim, prompt_style=st["prompt_style"], width=192, height=192)
    check("infer with user style", s == 200 and b["model"] == "rd_pro" and b["balance_cost"] == 0.18, b)
    s, b, _ = infer(sim, token=KEY2, prompt_style=st["prompt_style"], width=192, height=192)
    check("user style of another key 404", s == 404, (s, b))
    s, b, _ = infer(sim, prompt_style="user__never_made_12345678")
    check("unknown user style 404", s == 404, (s, b))
    s, b, _ = sim.json("PATCH", f"/v1/styles/{st['prompt_style']}", {"description": "Updated"})
    check("patch by prompt_style", s == 200 and b["description"] == "Updated" and b["id"] == st["id"], b)
    s, b, _ = sim.json("PATCH", f"/v1/styles/{st['id']}", {"foo": 1})
    check("patch unknown field 400", s == 400 and "foo" in b["detail"]["message"], b)
    s, b, _ = sim.json("PATCH", f"/v1/styles/{st['id']}", {"description": "x"}, token=KEY2)
    check("patch other key 404", s == 404, b)
    s, b, _ = sim.json("DELETE", f"/v1/styles/{st['id']}", token=KEY2)
    check("delete other key 404", s == 404, b)
    s, b, _ = sim.json("DELETE", f"/v1/styles/{st['id']}")
    check("delete style", s == 200 and b == {"id": st["id"], "prompt_style": st["prompt_style"],
                                             "deleted": True}, b)
    s, b, _ = infer(sim, prompt_style=st["prompt_style"], width=192, height=192)
    check("deleted style 404", s == 404, b)


def test_selector(sim):
    s, b, _ = sim.json("GET", "/v1/styles/selector")
    required = {"prompt_style", "name", "description", "required_model", "required_tab",
                "min_width", "max_width", "min_height", "max_height", "max_number_of_images"}
    optional = {"group_id", "require_input_image", "prompt_requirement",
                "supports_frames_duration", "supports_reference_images", "example_prompt"}
    check("selector v1 is a list of items", s == 200 and isinstance(b, list) and len(b) > 70
          and all(required <= set(i) <= required | optional for i in b), s)
    ids = [i["prompt_style"] for i in b]
    check("selector internal id", "default:rd_flux" in ids and "rd_fast__default" not in ids, ids[:5])
    check("selector leaves out nulls", any(not optional <= set(i) for i in b)
          and all(None not in i.values() for i in b))
    s, b, _ = sim.json("GET", "/v1/styles/selector?model=rd_pro")
    public = [i for i in b if not i["prompt_style"].startswith("user__")]
    check("selector model filter", len(public) == 18 and all(i["required_model"] == "rd_pro" for i in b),
          len(b))
    s, b, _ = sim.json("GET", "/v1/styles/selector?tab=tab:animation")
    check("selector tab filter", all(i["required_tab"] == "tab:animation" for i in b) and len(b) == 8,
          b)
    s, b, _ = sim.json("GET", "/v1/styles/selector", token=None)
    check("selector needs token", s == 401)

    # A user style shows in its owner's selector only.
    s, st, _ = sim.json("POST", "/v1/styles", {"name": "Selector Style"})
    s, b, _ = sim.json("GET", "/v1/styles/selector")
    mine = [i for i in b if i["prompt_style"] == st["prompt_style"]]
    check("selector has own user style", len(mine) == 1 and mine[0]["name"] == "Selector Style"
          and mine[0]["required_model"] == "rd_pro", mine)
    s, b, _ = sim.json("GET", "/v1/styles/selector", token=KEY2)
    check("selector hides other key's style", all(i["prompt_style"] != st["prompt_style"] for i in b))
    sim.json("DELETE", f"/v1/styles/{st['id']}")

    # Upstream changes its catalog: a changed limit (selector and validation) and a new style.
    s, c, _ = sim.json("POST", "/_sim/config", {"styles": {
        "rd_fast__simple": {"max_width": 448, "max_height": 448, "max_number_of_images": 2},
        "rd_fast__brand_new": {"required_model": "rd_fast", "min_width": 32, "max_width": 96,
                               "min_height": 32, "max_height": 96}}}, token=None)
    check("config styles", s == 200 and "rd_fast__brand_new" in c["styles"], c)
    s, b, _ = sim.json("GET", "/v1/styles/selector?model=rd_fast")
    by_id = {i["prompt_style"]: i for i in b}
    check("selector shows changed limit", by_id.get("rd_fast__simple", {}).get("max_width") == 448
          and by_id["rd_fast__simple"]["max_number_of_images"] == 2, by_id.get("rd_fast__simple"))
    check("selector shows new style", by_id.get("rd_fast__brand_new", {}).get("max_width") == 96)
    s, b, _ = infer(sim, prompt_style="rd_fast__simple", width=448, height=448, check_cost=True)
    check("changed limit allows", s == 200, b)
    s, b, _ = infer(sim, prompt_style="rd_fast__simple", width=64, height=64, num_images=3,
                    check_cost=True)
    check("changed limit refuses", s == 400, b)
    s, b, _ = infer(sim, prompt_style="rd_fast__brand_new", width=64, height=64, check_cost=True)
    check("new style generates", s == 200, b)
    s, _, _ = sim.json("POST", "/_sim/config", {"styles": {"x": {"max_width": "big"}}}, token=None)
    check("config styles checked", s == 400)
    sim.json("POST", "/_sim/config", {"styles": {}}, token=None)


def test_edit(sim):
    before = balance(sim)
    s, b, _ = sim.json("POST", "/v1/edit", {"prompt": "add a hat", "inputImageBase64": tiny_png(40, 24)})
    check("edit ok", s == 200 and image_of(b["outputImageBase64"])[:3] == ("png", 40, 24)
          and abs(b["remaining_credits"] - (before - 0.06)) < 1e-9, b)
    s, b, _ = sim.json("POST", "/v1/edit", {"prompt": "x", "inputImageBase64": tiny_png(8, 8)})
    check("edit too small 400", is_invalid((s, b, None)), b)
    s, b, _ = sim.json("POST", "/v1/edit", {"prompt": "x", "inputImageBase64": tiny_png(300, 16)})
    check("edit too big 400", is_invalid((s, b, None)), b)
    s, b, _ = sim.json("POST", "/v1/edit", {"prompt": "x"})
    check("edit missing image 422", s == 422, b)
    s, b, _ = sim.json("POST", "/v1/edit", {"prompt": "x", "inputImageBase64": "AAAA"})
    check("edit not an image 400", s == 400, b)
    # The canvas edit tools (/edit/tools...) have their own file, sim_selftest_edit.py.


from sim_selftest_control import (test_cli_keys, test_fail_next_and_recording,  # noqa: E402
                                  test_latency_and_concurrency, test_shutdown_during_latency,
                                  test_tls)
from sim_selftest_v2 import test_v2_envelope, test_v2_idempotency, test_v2_inferences  # noqa: E402
from sim_selftest_activity import (test_activity, test_after_admission_faults,  # noqa: E402
                                   test_clock_and_retention)
from sim_selftest_edit import (test_edit_catalog, test_edit_estimate, test_edit_money,  # noqa: E402
                               test_edit_runs, test_edit_tasks, test_edit_validation)
from sim_selftest_pixel_fixer import test_pixel_fixer  # noqa: E402
from sim_selftest_lowpoly import (test_lowpoly_activity_and_faults, test_lowpoly_catalog,  # noqa: E402
                                  test_lowpoly_generate, test_lowpoly_idempotency, test_lowpoly_jobs,
                                  test_lowpoly_models)


def main():
    binary = sys.argv[1]
    sim = Sim(binary)
    try:
        for test in (test_status_and_auth, test_sync_inference, test_extras, test_animations,
                     test_validation, test_cost_and_balance, test_async, test_user_styles,
                     test_selector, test_edit, test_fail_next_and_recording,
                     test_latency_and_concurrency, test_v2_envelope, test_v2_inferences,
                     test_v2_idempotency, test_activity, test_after_admission_faults,
                     test_clock_and_retention, test_edit_catalog, test_edit_estimate,
                     test_edit_runs, test_edit_validation, test_edit_money, test_edit_tasks,
                     test_pixel_fixer, test_lowpoly_catalog, test_lowpoly_generate,
                     test_lowpoly_idempotency, test_lowpoly_jobs, test_lowpoly_models,
                     test_lowpoly_activity_and_faults):
            try:
                test(sim)
            except Exception as e:  # a crash in one group must not hide the others
                check(f"{test.__name__} ran", False, repr(e))
    finally:
        code = sim.stop()
    check("clean exit", code == 0, code)
    for test in (test_shutdown_during_latency, test_cli_keys, test_tls):
        try:
            test(binary)
        except Exception as e:
            check(f"{test.__name__} ran", False, repr(e))
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
