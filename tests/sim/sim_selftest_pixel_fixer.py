"""Pixel Fixer checks for rd-sim, run by sim_selftest.py: POST /v{1,2}/pixel-fixer/standard and
/neural as shared/upstream/retrodiffusion-pixel-fixer.md documents them (free, exactly one image
source, PNG/JPEG 16x16..16 MP, 900,000-byte requests, 850,000-byte answers, 10 calls a minute
per token, the pixel_fixer_* codes) and their API Activity entries (v2 reference section 3.3)."""
import base64
import struct
import zlib

from sim_selftest_support import check, image_of, tiny_png
from sim_selftest_v2 import is_envelope, v2

KEYS = iter(f"rdpk-pixel-{i}" for i in range(100))


def fresh_key(sim):
    """A key of its own, so the 10-a-minute limit of one group does not spill into the next."""
    key = next(KEYS)
    sim.json("POST", "/_sim/keys", {"key": key, "balance": 1.0}, token=None)
    return key


def header_png(w, h):
    """A PNG whose header claims w x h (valid chunks, tiny pixel data): enough for a size check."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                            + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")).decode()


def fix(sim, body, engine="standard", api="v1", token=None, **kw):
    return sim.json("POST", f"/{api}/pixel-fixer/{engine}", body, token=token, **kw)


def detail_code(r):
    s, b, _ = r
    return s, b.get("detail", {}).get("code") if isinstance(b, dict) and isinstance(b.get("detail"), dict) else None


def issue_types(r):
    s, b, _ = r
    return [i.get("type") for i in b.get("detail", [])] if s == 422 and isinstance(b.get("detail"), list) else None


def test_pixel_fixer(sim):
    charged_before = sim.json("GET", "/_sim/ledger", token=None)[1]["total_charged"]
    k = fresh_key(sim)
    s, b, h = fix(sim, {"input_image": tiny_png(256, 256)}, token=k)
    check("standard: exactly one raw base64 PNG at the native grid (256/8)",
          s == 200 and list(b) == ["base64_images"] and len(b["base64_images"]) == 1
          and image_of(b["base64_images"][0])[:3] == ("png", 32, 32), b)
    check("v1 sync answer has no X-RD-Request-ID", "X-RD-Request-ID" not in h, h)
    s, b, _ = fix(sim, {"input_image": "data:image/png;base64," + tiny_png(48, 64)}, token=k)
    check("data URI accepted; 48x64 -> 24x32 (largest scale leaving 16 px)",
          s == 200 and image_of(b["base64_images"][0])[1:3] == (24, 32), b)
    s, b, _ = fix(sim, {"input_image": tiny_png(17, 16)}, token=k)
    check("no common scale: the grid is the image", s == 200 and image_of(b["base64_images"][0])[1:3] == (17, 16), b)
    s, b, _ = fix(sim, {"input_image": tiny_png(64, 64), "width": 40, "height": 24}, "neural", token=k)
    check("neural: width x height", s == 200 and image_of(b["base64_images"][0])[1:3] == (40, 24), b)
    s, b, _ = fix(sim, {"input_image": tiny_png(64, 32), "width": 20}, "neural", token=k)
    check("neural: width alone keeps the aspect ratio", s == 200 and image_of(b["base64_images"][0])[1:3] == (20, 10), b)
    s, b, _ = fix(sim, {"input_image": tiny_png(64, 64), "width": None, "height": None}, "neural", token=k)
    check("neural: no size, the native grid", s == 200 and image_of(b["base64_images"][0])[1:3] == (16, 16), b)

    # v2: the request id of the activity entry, which records the call (free, sync, output kept).
    k = fresh_key(sim)
    s, b, h = fix(sim, {"input_image": tiny_png(64, 64), "width": 32, "height": 32}, "neural", "v2", token=k)
    rid = h.get("X-RD-Request-ID")
    check("v2 neural answer: same body, X-RD-Request-ID", s == 200 and list(b) == ["base64_images"] and rid, h)
    s, a, _ = v2(sim, "GET", f"/inferences/requests/{rid}", token=k)
    outs = a.get("outputs", []) if s == 200 else []
    check("activity: pixel_fixer.neural, sync, free, one PNG kept",
          s == 200 and a["operation"] == "pixel_fixer.neural" and a["mode"] == "sync"
          and a["status"] == "succeeded" and a["charged"] is False and a["balance_cost"] == 0
          and a["http_status"] == 200 and "input_image" not in a["request"] and a["request"].get("width") == 32
          and len(outs) == 1 and outs[0]["media_type"] == "image/png" and outs[0]["available"], a)
    url = outs[0]["url"] if outs else ""
    st, _, data = sim.call("GET", url[len(sim.base):], token=None) if url else (0, None, b"")
    check("activity output is the fixed PNG", st == 200 and data[:4] == b"\x89PNG", st)
    s, b, _ = fix(sim, {"input_image": tiny_png(8, 8)}, api="v1", token=k)
    s, page, _ = v2(sim, "GET", "/inferences/requests?limit=1", token=k)
    top = page["items"][0] if s == 200 and page["items"] else {}
    check("v1 call recorded too, failed with its code", top.get("operation") == "pixel_fixer.standard"
          and top.get("status") == "failed" and top.get("http_status") == 422
          and top.get("error", {}).get("code") == "invalid_pixel_fixer_image", top)

    # image_url: public HTTPS only; the sim's own outputs stand in for the public web.
    k = fresh_key(sim)
    https_url = "https://" + url.split("://", 1)[1] if url else ""
    s, b, _ = fix(sim, {"image_url": https_url}, token=k)
    check("image_url of a hosted output (https) is downloaded",
          s == 200 and image_of(b["base64_images"][0])[1:3] == (16, 16), b)
    check("image_url over http refused", detail_code(fix(sim, {"image_url": url}, token=k))
          == (422, "invalid_pixel_fixer_image"))
    r = fix(sim, {"image_url": "https://10.1.2.3/sprite.png"}, token=k)
    check("image_url to a private network refused", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "private" in r[1]["detail"]["message"], r)
    r = fix(sim, {"image_url": "https://cdn.example.com/sprite.png"}, token=k)
    check("image_url the sim cannot download: 422", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "could not be downloaded" in r[1]["detail"]["message"], r)
    base = https_url.split("/_sim/")[0]
    r = fix(sim, {"image_url": base + "/_sim/outputs/0123abcd.png"}, token=k)
    check("image_url of an unknown output: 422 (HTTP 404)", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "404" in r[1]["detail"]["message"], r)
    check("image_url too long: 422 validation", issue_types(fix(sim, {"image_url": "https://a.example/" + "x" * 2100}, token=k))
          == ["string_too_long"])
    check("image_url not a URL: 422 validation", issue_types(fix(sim, {"image_url": "sprite.png"}, token=k))
          == ["url_parsing"])

    # Validation (pydantic, 422) and image rules (422 invalid_pixel_fixer_image).
    k = fresh_key(sim)
    png = tiny_png(32, 32)
    check("both sources: 422", issue_types(fix(sim, {"input_image": png, "image_url": https_url}, token=k)) == ["value_error"])
    check("neither source: 422", issue_types(fix(sim, {}, token=k)) == ["value_error"])
    check("unknown field: 422 extra_forbidden", issue_types(fix(sim, {"input_image": png, "scale": 2}, token=k))
          == ["extra_forbidden"])
    check("width on standard: 422 extra_forbidden", issue_types(fix(sim, {"input_image": png, "width": 16}, token=k))
          == ["extra_forbidden"])
    check("width 0: 422 greater_than", issue_types(fix(sim, {"input_image": png, "width": 0}, "neural", token=k))
          == ["greater_than"])
    check("height not an int: 422 int_type", issue_types(fix(sim, {"input_image": png, "height": "32"}, "neural", token=k))
          == ["int_type"])
    check("empty input_image: 422 string_too_short", issue_types(fix(sim, {"input_image": ""}, token=k))
          == ["string_too_short"])
    k = fresh_key(sim)
    check("not base64: invalid_pixel_fixer_image", detail_code(fix(sim, {"input_image": "not base64!"}, token=k))
          == (422, "invalid_pixel_fixer_image"))
    gif = base64.b64encode(b"GIF89a\x20\x00\x20\x00\x00\x00\x00;").decode()
    r = fix(sim, {"input_image": gif}, token=k)
    check("GIF refused (PNG or JPEG only)", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "PNG or JPEG" in r[1]["detail"]["message"], r)
    check("15x16 refused", detail_code(fix(sim, {"input_image": header_png(15, 16)}, token=k))
          == (422, "invalid_pixel_fixer_image"))
    r = fix(sim, {"input_image": header_png(4001, 4001)}, token=k)
    check("over 16 MP refused", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "16 megapixels" in r[1]["detail"]["message"], r)

    # Sizes: the request (before parsing) and the answer.
    k = fresh_key(sim)
    r = fix(sim, {"input_image": "A" * 900_000}, token=k)
    check("request over 900,000 bytes: 413", detail_code(r) == (413, "pixel_fixer_request_too_large"), r[:2])
    check("v2 request too large: envelope", is_envelope(
        fix(sim, {"input_image": "A" * 900_000}, api="v2", token=k), 413, "pixel_fixer_request_too_large"))
    r = fix(sim, {"input_image": header_png(4001, 3999)}, token=k)
    check("standard output over 850,000 bytes: 413", detail_code(r) == (413, "pixel_fixer_output_too_large"), r)
    r = fix(sim, {"input_image": png, "width": 900, "height": 900}, "neural", token=k)
    check("neural 900x900 rendered, over the limit: 413", detail_code(r) == (413, "pixel_fixer_output_too_large"), r)
    check("v2 output too large: envelope", is_envelope(
        fix(sim, {"input_image": png, "width": 5000, "height": 5000}, "neural", "v2", token=k),
        413, "pixel_fixer_output_too_large"))
    s, b, _ = fix(sim, {"input_image": png, "width": 700, "height": 700}, "neural", token=k)
    check("neural 700x700 fits", s == 200 and image_of(b["base64_images"][0])[1:3] == (700, 700), s)

    # Rate limit: 10 a minute per token, standard and neural together, on the sim clock.
    k = fresh_key(sim)
    codes = [fix(sim, {"input_image": png}, ("standard", "neural")[i % 2], token=k)[0] for i in range(10)]
    check("10 calls a minute pass", codes == [200] * 10, codes)
    s, b, h = fix(sim, {"input_image": png}, "neural", token=k)
    retry = h.get("Retry-After", "")
    check("the 11th: 429 with Retry-After", s == 429 and b["detail"]["code"] == "pixel_fixer_rate_limit_exceeded"
          and retry.isdigit() and 1 <= int(retry) <= 60, (s, b, h))
    r = fix(sim, {"input_image": png}, api="v2", token=k)
    check("v2 429 envelope keeps Retry-After", is_envelope(r, 429, "pixel_fixer_rate_limit_exceeded")
          and r[2].get("Retry-After", "").isdigit(), r)
    other = fresh_key(sim)
    check("another token has its own minute", fix(sim, {"input_image": png}, token=other)[0] == 200)
    sim.json("POST", "/_sim/clock", {"advance_seconds": 60}, token=None)
    check("a minute later: allowed again", fix(sim, {"input_image": png}, token=k)[0] == 200)

    # Expired activity links (15 minutes) no longer download.
    sim.json("POST", "/_sim/clock", {"advance_seconds": 16 * 60}, token=None)
    r = fix(sim, {"image_url": https_url}, token=fresh_key(sim))
    check("expired output link: 422 (HTTP 403)", detail_code(r) == (422, "invalid_pixel_fixer_image")
          and "403" in r[1]["detail"]["message"], r)

    # Auth, faults, methods.
    k = fresh_key(sim)
    check("v1 missing token: 401", fix(sim, {"input_image": png}, token=None)[0] == 401)
    check("v2 missing token: 401 invalid_token", is_envelope(fix(sim, {"input_image": png}, api="v2", token=None),
                                                             401, "invalid_token"))
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v1/pixel-fixer/", "status": 500}, token=None)
    check("injected 500: pixel_fixer_failed", detail_code(fix(sim, {"input_image": png}, token=k))
          == (500, "pixel_fixer_failed"))
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v2/pixel-fixer/neural", "status": 500}, token=None)
    check("v2 injected 500: envelope", is_envelope(fix(sim, {"input_image": png}, "neural", "v2", token=k),
                                                   500, "pixel_fixer_failed"))
    r = sim.json("GET", "/v1/pixel-fixer/standard", token=k)
    check("GET: 405 Allow POST", r[0] == 405 and r[2].get("Allow") == "POST", r[:2])
    check("never charged", sim.json("GET", "/_sim/ledger", token=None)[1]["total_charged"] == charged_before)
