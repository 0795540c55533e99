"""Canvas edit tools checks for rd-sim, run by sim_selftest.py: the catalog, estimates, sync
runs, validation codes, minimum balance, failures and edit tasks, on /v1 and /v2. Each
expectation comes from shared/upstream/retrodiffusion-edit-tools.md, retrodiffusion-llms.txt
("Canvas edit tools") and retrodiffusion-v2-reference.md (sections 2, 3.3, 3.4, 5)."""
import base64
import re
import struct
import time
import zlib

from sim_selftest_support import KEY1, KEY2, balance, check, decode_gif, decode_png, image_of, tiny_png
from sim_selftest_v2 import is_envelope

TOOLS = {  # id: (balance_cost, hosted output, extra fields of a valid request)
    "image_edit": (0.18, True, {"prompt": "add a tiny wizard hat", "seed": 123}),
    "inpainting": (0.18, True, {"prompt": "a red gem", "soft_inpaint": False}),  # + mask
    "outpainting": (0.18, True, {"expand_left": 8, "prompt": "more forest"}),
    "seam_tiling": (0.18, False, {"tile_x": True, "seam_width": 4}),
    "background_remover": (0.01, False, {"transparency_threshold": 10, "force_solid_pixels": True}),
    "color_style_transfer": (0.01, False, {}),  # + extra_input_image
    "color_reducer": (0, False, {"color_count": 8, "dither_mode": "bayer_4x4", "dither_strength": 3}),
    "palette_converter": (0, False, {}),  # + input_palette
    "k_centroid_downscale": (0, False, {"width": 16, "height": 8}),
    "pixel_correction": (0, False, {}),
    "rotate": (0, False, {"rotation_degrees": 90}),
}


# ---------------------------------------------------------------- images


def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)


def png_b64(w, h, ctype=2, pixel=b"\x00\x80\xff", idat=None):
    """A PNG of colour type `ctype` (2 RGB, 6 RGBA, 0 grey) filled with `pixel`."""
    rows = b"".join(b"\x00" + pixel * w for _ in range(h))
    data = idat if idat is not None else zlib.compress(rows)
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
                            + chunk(b"IDAT", data) + chunk(b"IEND", b"")).decode()


def rgba_mask(w, h):
    return png_b64(w, h, ctype=6, pixel=b"\xff\x00\x00\xff")


def broken_png(w=32, h=32):
    """Every chunk and CRC is right, but the zlib stream is garbage: only a decoder notices."""
    return png_b64(w, h, idat=b"\x78\x9c" + b"\xde\xad\xbe\xef" * 8)


def gif_b64(w, h, frames):
    """A GIF89a of `frames` frames, LZW codes of 3 bits (a clear code every two pixels)."""
    def lzw(pixels):
        codes = []
        for i in range(0, len(pixels), 2):
            codes += [4] + pixels[i:i + 2]
        codes.append(5)
        bits, n, out = 0, 0, bytearray()
        for c in codes:
            bits |= c << n
            n += 3
            while n >= 8:
                out.append(bits & 0xFF)
                bits, n = bits >> 8, n - 8
        if n:
            out.append(bits & 0xFF)
        return bytes(out)

    out = b"GIF89a" + struct.pack("<HHBBB", w, h, 0x81, 0, 0) + bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for f in range(frames):
        data = lzw([(x + y + f) % 4 for y in range(h) for x in range(w)])
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00" + b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0) + b"\x02"
        for i in range(0, len(data), 255):
            out += bytes([len(data[i:i + 255])]) + data[i:i + 255]
        out += b"\x00"
    return base64.b64encode(out + b"\x3b").decode()


def valid_body(tool, w=32, h=32):
    body = {"input_image": tiny_png(w, h), **TOOLS[tool][2]}
    if tool == "inpainting":
        body["mask_image"] = rgba_mask(w, h)
    if tool == "color_style_transfer":
        body["extra_input_image"] = tiny_png(8, 8)
    if tool == "palette_converter":
        body["input_palette"] = tiny_png(4, 1)
    return body


# ---------------------------------------------------------------- calls


def call(sim, api, method, path, body=None, **kw):
    return sim.json(method, f"/{api}{path}", body, **kw)


def is_error(r, api, status, code):
    """v1: {"detail": {"code", "message"}} (or a 422 list); v2: the envelope with the catalog's status."""
    s, b, _ = r
    if api == "v2":
        return is_envelope(r, status, code)
    if status == 422:
        return s == 422 and isinstance(b.get("detail"), list) and b["detail"]
    return s == status and isinstance(b.get("detail"), dict) and b["detail"].get("code") == code \
        and isinstance(b["detail"].get("message"), str) and b["detail"]["message"]


def ledger_charges(sim):
    return [e for e in sim.json("GET", "/_sim/ledger", token=None)[1]["entries"] if e["type"] == "charge"]


def fetch_output(sim, url):
    assert url.startswith(sim.base), url
    st, _, data = sim.call("GET", url[len(sim.base):], token=None)
    return st, data


def set_duration(sim, ms):
    sim.json("POST", "/_sim/config", {"async_duration_ms": ms}, token=None)


# ---------------------------------------------------------------- checks


def test_edit_catalog(sim):
    for api in ("v1", "v2"):
        for token in (None, KEY1, "rdpk-unknown"):
            s, b, _ = call(sim, api, "GET", "/edit/tools", token=token)
            check(f"{api} catalog public (token {token})", s == 200 and isinstance(b, list) and len(b) == 11
                  and {t["id"] for t in b} == set(TOOLS), (s, b if s != 200 else [t["id"] for t in b]))
    s, tools, _ = sim.json("GET", "/v1/edit/tools", token=None)
    by_id = {t["id"]: t for t in tools}
    for tool_id, (price, _, _) in TOOLS.items():
        t = by_id[tool_id]
        ids = [f["id"] for f in t["api_fields"]]
        check(f"catalog {tool_id} shape", t["name"] and t["description"] and t["balance_cost"] == price
              and t["is_free"] == (price == 0) and isinstance(t["credit_cost"], int)
              and isinstance(t["max_input_size"], int) and isinstance(t["requires_minimum_balance"], bool)
              and ids[0] == "input_image" and ids[-1] == "custom_id"
              and t["balanceCost"] == t["balance_cost"] and t["creditCost"] == t["credit_cost"]
              and t["isFree"] == t["is_free"] and t["maxInputSize"] == t["max_input_size"]
              and t["requiresMinimumBalance"] == t["requires_minimum_balance"], t)
        check(f"catalog {tool_id} fields are not api_fields", isinstance(t["fields"], list)
              and not ({f["id"] for f in t["fields"]} & {"input_image", "custom_id"}), t["fields"])
        for f in t["api_fields"]:
            check(f"catalog {tool_id}.{f['id']} field", {"id", "label", "type", "required", "allowBlank"} <= f.keys()
                  and f["type"] in ("image", "text", "integer", "number", "boolean", "select"), f)
    fields = {tid: {f["id"]: f for f in t["api_fields"]} for tid, t in by_id.items()}
    check("image_edit max_input_size 256", by_id["image_edit"]["max_input_size"] == 256)
    check("image_edit prompt required, seed optional", fields["image_edit"]["prompt"]["required"] is True
          and fields["image_edit"]["seed"]["required"] is False and fields["image_edit"]["seed"]["type"] == "integer")
    check("inpainting fields", set(fields["inpainting"]) == {"input_image", "mask_image", "prompt", "seed",
                                                            "soft_inpaint", "custom_id"}
          and fields["inpainting"]["mask_image"]["type"] == "image")
    check("outpainting expand fields", all(fields["outpainting"][f"expand_{s}"]["min"] == 0
                                           for s in ("left", "right", "top", "bottom"))
          and fields["outpainting"]["prompt"]["required"] is False)
    dm = fields["color_reducer"]["dither_mode"]
    check("dither_mode select", dm["type"] == "select" and dm["defaultValue"] == "none"
          and all(m in dm["placeholder"] for m in ("bayer_2x2", "bayer_4x4", "bayer_8x8")), dm)
    ds = fields["palette_converter"]["dither_strength"]
    check("dither_strength 0..10 default 5", (ds["min"], ds["max"], ds["defaultValue"]) == (0, 10, 5), ds)
    check("color_count 2..256", (fields["color_reducer"]["color_count"]["min"],
                                 fields["color_reducer"]["color_count"]["max"]) == (2, 256))
    check("k_centroid width/height required", fields["k_centroid_downscale"]["width"]["required"]
          and fields["k_centroid_downscale"]["height"]["required"])
    check("seam_tiling defaults", fields["seam_tiling"]["tile_x"]["defaultValue"] is True
          and fields["seam_tiling"]["tile_y"]["defaultValue"] is False)
    check("rotation_degrees number", fields["rotate"]["rotation_degrees"]["type"] == "number")
    check("transparency_threshold 0..255", (fields["background_remover"]["transparency_threshold"]["min"],
                                            fields["background_remover"]["transparency_threshold"]["max"]) == (0, 255))
    check("pixel_correction has no extra fields", set(fields["pixel_correction"]) == {"input_image", "custom_id"})
    check("minimum-balance tools", {t for t, d in by_id.items() if d["requires_minimum_balance"]}
          == {"color_reducer", "palette_converter", "k_centroid_downscale"})
    _, reqs, _ = sim.json("GET", "/_sim/requests", token=None)
    check("catalog calls recorded", any(r["path"] == "/v2/edit/tools" and r["token"] is None for r in reqs))


def test_edit_estimate(sim):
    for api in ("v1", "v2"):
        before, charges = balance(sim), len(ledger_charges(sim))
        s, page, _ = sim.json("GET", "/v2/inferences/requests?limit=1")
        top_before = page["items"][0]["request_id"] if page["items"] else None
        s, b, h = call(sim, api, "POST", "/edit/tools/image_edit/estimate", valid_body("image_edit"))
        check(f"{api} estimate shape", s == 200 and b["tool_id"] == b["toolId"] == "image_edit"
              and b["balance_cost"] == 0.18 and isinstance(b["credit_cost"], int)
              and 20 <= b["estimate_seconds"] <= 40 and b["estimateSeconds"] == b["estimate_seconds"]
              and "X-RD-Request-ID" not in h, (s, b))
        s, b, _ = call(sim, api, "POST", "/edit/tools/rotate/estimate", valid_body("rotate"))
        check(f"{api} estimate free tool a few seconds", s == 200 and b["balance_cost"] == 0
              and b["estimate_seconds"] <= 10, b)
        check(f"{api} estimate validates as a run", is_error(
            call(sim, api, "POST", "/edit/tools/image_edit/estimate", {"input_image": tiny_png()}),
            api, 400, "missing_prompt"))
        check(f"{api} estimate unknown tool", is_error(
            call(sim, api, "POST", "/edit/tools/nope/estimate", {"input_image": tiny_png()}), api, 404, "tool_not_found"))
        check(f"{api} estimate needs a token", call(sim, api, "POST", "/edit/tools/rotate/estimate",
                                                    valid_body("rotate"), token=None)[0] == 401)
        s, page, _ = sim.json("GET", "/v2/inferences/requests?limit=1")
        top = page["items"][0]["request_id"] if page["items"] else None
        check(f"{api} estimate never charges nor is API Activity", balance(sim) == before
              and len(ledger_charges(sim)) == charges and top == top_before, (top, top_before))


def test_edit_runs(sim):
    for api in ("v1", "v2"):
        for tool_id, (price, hosted, _) in TOOLS.items():
            before, charges = balance(sim), len(ledger_charges(sim))
            s, b, h = call(sim, api, "POST", f"/edit/tools/{tool_id}", valid_body(tool_id))
            if s != 200:
                check(f"{api} run {tool_id}", False, (s, b))
                continue
            check(f"{api} run {tool_id} shape", b["tool_id"] == b["toolId"] == tool_id and b["inference_id"]
                  and b["balance_cost"] == price and b["charged"] == (price > 0)
                  and isinstance(b["credit_cost"], int) and b["remaining_credits"] is None
                  and abs(b["remaining_balance"] - (before - price)) < 1e-9
                  and ("request_id" in b) == (api == "v2"), b)
            check(f"{api} run {tool_id} charged once", abs(balance(sim) - (before - price)) < 1e-9
                  and len(ledger_charges(sim)) == charges + (price > 0))
            if hosted:
                ok = b["base64_images"] == [] and len(b["output_urls"]) == 1
                st, data = fetch_output(sim, b["output_urls"][0]) if ok else (0, b"")
                check(f"{api} {tool_id}: image only in output_urls", ok and st == 200
                      and decode_png(data) == (b["output_width"], b["output_height"]), b)
            else:
                check(f"{api} {tool_id}: image inline", b["output_urls"] == [] and len(b["base64_images"]) == 1
                      and image_of(b["base64_images"][0])[1:3] == (b["output_width"], b["output_height"]), b)
            if api == "v2":
                rid = h.get("X-RD-Request-ID")
                s, a, _ = call(sim, "v2", "GET", f"/inferences/requests/{rid}")
                check(f"v2 {tool_id} X-RD-Request-ID names its activity", rid == b["request_id"] and s == 200
                      and a["operation"] == "edit_tool" and a["request"]["tool_id"] == tool_id
                      and a["mode"] == "sync" and a["balance_cost"] == price and len(a["outputs"]) == 1, a)
    sizes = {"outpainting": (40, 32), "k_centroid_downscale": (16, 8), "image_edit": (32, 32)}
    for tool_id, size in sizes.items():
        s, b, _ = sim.json("POST", f"/v1/edit/tools/{tool_id}", valid_body(tool_id))
        check(f"{tool_id} output size", s == 200 and (b["output_width"], b["output_height"]) == size, b)
    s, b, _ = sim.json("POST", "/v1/edit/tools/rotate", {"input_image": tiny_png(40, 24), "rotation_degrees": -90})
    check("rotate 90 swaps sides", s == 200 and image_of(b["base64_images"][0])[1:3] == (24, 40), b)
    s, b, _ = sim.json("POST", "/v1/edit/tools/rotate", {"input_image": tiny_png(40, 24)})
    check("rotate default 90", s == 200 and (b["output_width"], b["output_height"]) == (24, 40), b)
    s, b, _ = sim.json("POST", "/v1/edit/tools/image_edit",
                       {"input_image": "data:image/png;base64," + tiny_png(), "prompt": "hat"})
    check("data URI accepted", s == 200, b)
    s, b, _ = sim.json("POST", "/v1/edit/tools/inpainting",
                       {**valid_body("inpainting"), "mask_image": png_b64(32, 32, ctype=0, pixel=b"\xff")})
    check("grayscale (L) mask accepted", s == 200, b)
    gif = gif_b64(6, 5, 3)
    check("test GIF decodes with 3 frames", decode_gif(base64.b64decode(gif))[:3] == (6, 5, 3))
    for tool_id in ("color_reducer", "palette_converter", "color_style_transfer", "k_centroid_downscale"):
        body = {**valid_body(tool_id), "input_image": gif}
        if tool_id == "k_centroid_downscale":
            body.update(width=3, height=2)
        s, b, _ = sim.json("POST", f"/v1/edit/tools/{tool_id}", body)
        img = image_of(b["base64_images"][0]) if s == 200 else None
        check(f"{tool_id} takes an animated GIF (answers one)", img and img[0] == "gif" and img[3] == 3, (s, b, img))
    s, b, _ = sim.json("POST", "/v1/edit/tools/rotate", {"input_image": gif_b64(6, 5, 1)})
    check("a single-frame GIF is not animated", s == 200, b)
    extras = {"dithering": True, "outpaint_context_left": 0, "outpaint_context_top": 0, "output_image": "x",
              "region_plan": {}, "scheduled_region_job_id": 1, "scheduled_region_mode": False,
              "scheduled_region_quality": "fast", "seam_debug_return_raw_output": False,
              "seam_debug_return_shifted_output": False, "custom_id": "queue-7", "prompt": "ignored by rotate",
              "seed": None}
    s, b, _ = sim.json("POST", "/v1/edit/tools/rotate", {**valid_body("rotate"), **extras})
    check("contract's other properties and other tools' fields accepted", s == 200, b)
    s, b, _ = sim.json("POST", "/v1/edit/tools/color_reducer", {**valid_body("color_reducer"), "dither_strength": 50})
    check("dither_strength above 10: old 0-100 scale accepted", s == 200, b)


# (tool, body changes, status, code): every documented rule, on v1 and v2.
def validation_cases():
    big = tiny_png(300, 300)
    return [
        ("nope", {}, 404, "tool_not_found"),
        ("image_edit", {"prompt": 5}, 422, "validation_error"),
        ("image_edit", {"input_image": None}, 422, "validation_error"),
        ("image_edit", {"surprise": 1}, 422, "validation_error"),
        ("image_edit", {"inputImageBase64": tiny_png()}, 422, "validation_error"),
        ("image_edit", {"custom_id": "x" * 129}, 422, "validation_error"),
        ("rotate", {"rotation_degrees": "ninety"}, 422, "validation_error"),
        ("background_remover", {"transparency_threshold": 256}, 422, "validation_error"),
        ("color_reducer", {"dither_strength": 101}, 422, "validation_error"),
        ("color_reducer", {"dither_strength": -1}, 422, "validation_error"),
        ("seam_tiling", {"tile_x": "yes"}, 422, "validation_error"),
        ("image_edit", {"prompt": None}, 400, "missing_prompt"),
        ("image_edit", {"prompt": "   "}, 400, "missing_prompt"),
        ("inpainting", {"prompt": ""}, 400, "missing_prompt"),
        ("inpainting", {"mask_image": None}, 400, "missing_mask"),
        ("palette_converter", {"input_palette": None}, 400, "missing_palette"),
        ("color_style_transfer", {"extra_input_image": None}, 400, "missing_reference_image"),
        ("k_centroid_downscale", {"height": None}, 400, "missing_dimensions"),
        ("outpainting", {"expand_left": 0}, 400, "missing_expansion"),
        ("seam_tiling", {"tile_x": False}, 400, "missing_tile_direction"),
        ("seam_tiling", {"tile_x": False, "tile_y": False}, 400, "missing_tile_direction"),
        ("image_edit", {"input_image": "not base64!"}, 400, "invalid_image"),
        ("image_edit", {"input_image": base64.b64encode(b"just text").decode()}, 400, "invalid_image"),
        ("image_edit", {"input_image": broken_png()}, 400, "invalid_image"),
        ("inpainting", {"mask_image": broken_png()}, 400, "invalid_image"),
        ("palette_converter", {"input_palette": "AAAA"}, 400, "invalid_image"),
        ("color_style_transfer", {"extra_input_image": "AAAA"}, 400, "invalid_image"),
        ("inpainting", {"mask_image": rgba_mask(16, 32)}, 400, "invalid_image_size"),
        ("k_centroid_downscale", {"width": 64}, 400, "invalid_image_size"),
        ("k_centroid_downscale", {"width": 0}, 400, "invalid_image_size"),
        ("image_edit", {"input_image": big}, 413, "image_too_large"),
        ("inpainting", {"input_image": big, "mask_image": rgba_mask(300, 300)}, 413, "image_too_large"),
        ("rotate", {"input_image": tiny_png(513, 8)}, 413, "image_too_large"),
        ("color_reducer", {"dither_mode": "floyd"}, 400, "invalid_dither_mode"),
        ("palette_converter", {"dither_mode": "BAYER_2X2"}, 400, "invalid_dither_mode"),
        ("color_reducer", {"color_count": 1}, 400, "invalid_color_count"),
        ("color_reducer", {"color_count": 257}, 400, "invalid_color_count"),
        ("outpainting", {"expand_top": -4}, 400, "invalid_expansion"),
        ("rotate", {"rotation_degrees": 361}, 400, "invalid_rotation"),
        ("seam_tiling", {"seam_width": 0}, 400, "invalid_seam_width"),
        ("seam_tiling", {"repair_window_size": -2}, 400, "invalid_repair_window"),
        ("rotate", {"input_image": gif_b64(4, 4, 2)}, 400, "animated_input_not_supported"),
        ("image_edit", {"input_image": gif_b64(4, 4, 2)}, 400, "animated_input_not_supported"),
        ("background_remover", {"input_image": gif_b64(4, 4, 2)}, 400, "animated_input_not_supported"),
    ]


def test_edit_validation(sim):
    cases = validation_cases()
    for api in ("v1", "v2"):
        before, charges = balance(sim), len(ledger_charges(sim))
        for tool, changes, status, code in cases:
            body = {**valid_body(tool if tool in TOOLS else "rotate"), **changes}
            for suffix in ("", "/estimate", "/tasks"):
                r = call(sim, api, "POST", f"/edit/tools/{tool}{suffix}", body)
                check(f"{api} {tool}{suffix} {sorted(changes)} -> {status} {code}", is_error(r, api, status, code),
                      (r[0], r[1]))
        check(f"{api} refused calls charge nothing", balance(sim) == before
              and len(ledger_charges(sim)) == charges)
    r = sim.json("POST", "/v1/edit/tools/image_edit", {"input_image": tiny_png(), "surprise": 1})
    issue = r[1]["detail"][0] if r[0] == 422 else {}
    check("unknown field named in the 422", issue.get("loc") == ["body", "surprise"]
          and issue.get("type") == "extra_forbidden", r)
    r = sim.json("POST", "/v1/edit/tools/image_edit", {"input_image": tiny_png()})
    check("missing_prompt message as documented", r[1] == {"detail": {"code": "missing_prompt",
                                                                     "message": "A prompt is required for this tool."}}, r)
    r = sim.json("POST", "/v1/edit/tools/image_edit", {"input_image": tiny_png(300, 300), "prompt": "x"})
    check("image_too_large names the limit", r[0] == 413 and "256" in r[1]["detail"]["message"], r)


def test_edit_money(sim):
    poor = "rdpk-edit-empty"
    sim.json("POST", "/_sim/keys", {"key": poor, "balance": 0}, token=None)
    for api in ("v1", "v2"):
        for tool in ("color_reducer", "palette_converter", "k_centroid_downscale"):
            for suffix in ("", "/tasks"):
                s, b, _ = call(sim, api, "POST", f"/edit/tools/{tool}{suffix}", valid_body(tool), token=poor)
                ok = (s == 400 and b == {"detail": [{"msg": "Not enough balance."}]}) if api == "v1" else \
                    (s == 402 and b["error"]["code"] == "not_enough_balance")
                check(f"{api} {tool}{suffix}: minimum balance refuses an empty key", ok, (s, b))
        s, b, _ = call(sim, api, "POST", "/edit/tools/rotate", valid_body("rotate"), token=poor)
        check(f"{api} free tool without minimum runs on an empty key", s == 200 and b["charged"] is False, (s, b))
        s, b, _ = call(sim, api, "POST", "/edit/tools/color_reducer/estimate", valid_body("color_reducer"), token=poor)
        check(f"{api} estimate does not look at the balance", s == 200, (s, b))
        s, b, _ = call(sim, api, "POST", "/edit/tools/background_remover", valid_body("background_remover"), token=poor)
        check(f"{api} paid tool without money refused", s == (400 if api == "v1" else 402), (s, b))
    check("empty key still empty", balance(sim, poor) == 0)
    for api in ("v1", "v2"):
        before, charges = balance(sim), len(ledger_charges(sim))
        r = call(sim, api, "POST", "/edit/tools/image_edit", {"input_image": tiny_png(), "prompt": "FAILME now"})
        check(f"{api} FAILME: 500 edit_tool_failed", is_error(r, api, 500, "edit_tool_failed"), r)
        led = sim.json("GET", "/_sim/ledger", token=None)[1]["entries"]
        check(f"{api} FAILME refunded", balance(sim) == before and len(ledger_charges(sim)) == charges + 1
              and led[-1]["type"] == "refund" and led[-1]["amount"] == 0.18, led[-2:])
        s, page, _ = sim.json("GET", "/v2/inferences/requests?limit=1")
        top = page["items"][0]
        check(f"{api} FAILME in activity, not charged", top["operation"] == "edit_tool" and top["status"] == "failed"
              and top["charged"] is False and top["error"]["code"] == "edit_tool_failed" and top["http_status"] == 500, top)
    before = balance(sim)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v1/edit/tools/", "status": 503}, token=None)
    s, _, _ = sim.json("POST", "/v1/edit/tools/image_edit", valid_body("image_edit"))
    check("fault injected on an edit tool: not charged", s == 503 and balance(sim) == before)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/edit/tools/", "status": 502, "after_admission": True},
             token=None)
    r = call(sim, "v2", "POST", "/edit/tools/image_edit/tasks", valid_body("image_edit"))
    s, page, _ = sim.json("GET", "/v2/inferences/requests?limit=1")
    top = page["items"][0]
    check("task after_admission fault: admitted and charged, answer lost", r[0] == 502
          and abs(balance(sim) - (before - 0.18)) < 1e-9 and top["mode"] == "async", (r, top))


def wait_edit_task(sim, api, tid, token=KEY1):
    seen, t = [], None
    for _ in range(300):
        s, t, _ = call(sim, api, "GET", f"/edit/tasks/{tid}", token=token)
        if s != 200:
            return s, t, seen
        if not seen or seen[-1] != t["status"]:
            seen.append(t["status"])
        if t["status"] in ("succeeded", "failed"):
            return s, t, seen
        time.sleep(0.02)
    return 0, t, seen


def test_edit_tasks(sim):
    set_duration(sim, 400)
    iso = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
    for api in ("v1", "v2"):
        for tool_id in ("inpainting", "rotate"):
            price = TOOLS[tool_id][0]
            before = balance(sim)
            s, b, h = call(sim, api, "POST", f"/edit/tools/{tool_id}/tasks", valid_body(tool_id))
            check(f"{api} {tool_id} task accepted 202", s == 202 and b == {
                "status": "accepted", "task_id": b.get("task_id"), "request_id": b.get("task_id"),
                "message": f"Edit accepted. Poll GET /{api}/edit/tasks/{{task_id}} for status."} and b["task_id"], (s, b))
            if s != 202:
                continue
            tid = b["task_id"]
            check(f"{api} {tool_id} task charged at start", abs(balance(sim) - (before - price)) < 1e-9)
            s, t, seen = wait_edit_task(sim, api, tid)
            res = t.get("result") or {}
            check(f"{api} {tool_id} task progresses", s == 200 and seen[-1] == "succeeded"
                  and set(seen) <= {"pending", "running", "succeeded"} and len(seen) >= 2, seen)
            check(f"{api} {tool_id} task timestamps", (isinstance(t["created_at"], int) and isinstance(t["updated_at"], int)
                                                       and t["updated_at"] >= t["created_at"]) if api == "v1" else
                  (iso.match(t["created_at"]) is not None and iso.match(t["updated_at"]) is not None), t)
            check(f"{api} {tool_id} task result hosted", res.get("tool_id") == tool_id and res.get("base64_images") == []
                  and len(res.get("output_urls", [])) == 1 and res.get("balance_cost") == price, t)
            if res.get("output_urls"):
                st, data = fetch_output(sim, res["output_urls"][0])
                check(f"{api} {tool_id} task output served", st == 200
                      and decode_png(data) == (res["output_width"], res["output_height"]), st)
            check(f"{api} {tool_id} task charged once", abs(balance(sim) - (before - price)) < 1e-9)
            s, a, _ = call(sim, "v2", "GET", f"/inferences/requests/{tid}")
            check(f"{api} {tool_id} task in API Activity", s == 200 and a["mode"] == "async"
                  and a["operation"] == "edit_tool" and a["request"]["tool_id"] == tool_id
                  and a["status"] == "succeeded" and len(a["outputs"]) == 1 and a["outputs"][0]["url"]
                  and a["charged"] == (price > 0), a)
            check(f"{api} {tool_id} task of another key: 404", is_error(
                call(sim, api, "GET", f"/edit/tasks/{tid}", token=KEY2), api, 404, "edit_task_not_found"))
            s, lst, _ = call(sim, "v2", "GET", "/inferences/tasks?limit=1000")
            check(f"{api} edit task not an inference task", tid not in [x["task_id"] for x in lst["tasks"]]
                  and call(sim, api, "GET", f"/inferences/tasks/{tid}")[0] == 404)
    check("unknown edit task 404 (v1)", is_error(call(sim, "v1", "GET", "/edit/tasks/nope"), "v1", 404, "edit_task_not_found"))
    check("unknown edit task 404 (v2)", is_error(call(sim, "v2", "GET", "/edit/tasks/nope"), "v2", 404, "edit_task_not_found"))
    s, b, _ = call(sim, "v2", "POST", "/inferences", {"prompt": "x", "width": 64, "height": 64, "num_images": 1})
    check("an inference task is no edit task", is_error(call(sim, "v2", "GET", f"/edit/tasks/{b['task_id']}"),
                                                        "v2", 404, "edit_task_not_found"))
    # custom_id: the same one again is the same task, not charged or run again.
    before, charges = balance(sim), len(ledger_charges(sim))
    body = {**valid_body("image_edit"), "custom_id": "job-42"}
    s1, b1, _ = call(sim, "v2", "POST", "/edit/tools/image_edit/tasks", body)
    s2, b2, _ = call(sim, "v2", "POST", "/edit/tools/image_edit/tasks", body)
    s3, b3, _ = call(sim, "v1", "POST", "/edit/tools/image_edit/tasks", {**body, "prompt": "changed"})
    check("custom_id replay: original task", s1 == s2 == s3 == 202 and b1["task_id"] == b2["task_id"] == b3["task_id"],
          (b1, b2, b3))
    check("custom_id replay: charged once", abs(balance(sim) - (before - 0.18)) < 1e-9
          and len(ledger_charges(sim)) == charges + 1)
    s4, b4, _ = call(sim, "v2", "POST", "/edit/tools/image_edit/tasks", body, token=KEY2)
    check("custom_id is per token", s4 == 202 and b4["task_id"] != b1["task_id"], b4)
    s5, b5, _ = call(sim, "v2", "POST", "/edit/tools/image_edit/tasks", {**body, "custom_id": "job-43"})
    check("a new custom_id is a new task", s5 == 202 and b5["task_id"] != b1["task_id"])
    s, b, _ = call(sim, "v2", "POST", "/edit/tools/image_edit", body)
    s6, b6, _ = call(sim, "v2", "POST", "/edit/tools/image_edit", body)
    check("sync runs: custom_id is only a label", s == s6 == 200 and b["inference_id"] != b6["inference_id"])
    # A failed task: HTTP 200 with its error, refunded.
    for api in ("v1", "v2"):
        before = balance(sim)
        s, b, _ = call(sim, api, "POST", "/edit/tools/outpainting/tasks",
                       {**valid_body("outpainting"), "prompt": "FAILME"})
        check(f"{api} failing task charged at start", s == 202 and abs(balance(sim) - (before - 0.18)) < 1e-9)
        s, t, seen = wait_edit_task(sim, api, b["task_id"])
        err = t.get("error") or {}
        shape = ({"status_code", "code", "message", "request_id"} == set(err) and err["code"] == "edit_tool_failed"
                 if api == "v2" else set(err) == {"status_code", "detail"}
                 and err["detail"]["code"] == "edit_tool_failed" and err["detail"]["request_id"] == b["task_id"])
        check(f"{api} failed task: 200 with error", s == 200 and t["status"] == "failed" and shape
              and err["status_code"] == 500 and "result" not in t or t.get("result") is None, t)
        check(f"{api} failed task refunded", balance(sim) == before)
        s, a, _ = call(sim, "v2", "GET", f"/inferences/requests/{b['task_id']}")
        check(f"{api} failed task in activity", a["status"] == "failed" and a["charged"] is False
              and a["error"]["code"] == "edit_tool_failed" and a["outputs"] == [], a)
    s, b, _ = sim.json("GET", "/v1/edit/tasks/x", token=None)
    check("task read needs a token", s == 401, b)
    s, b, h = sim.json("GET", "/v1/edit/tasks/x/more")
    check("unknown task path 404", s == 404, b)
    s, b, h = sim.json("GET", "/v1/edit/tools/rotate/tasks")
    check("tasks path takes POST only", s == 405 and h.get("Allow") == "POST", (s, h))
    set_duration(sim, 1000)
