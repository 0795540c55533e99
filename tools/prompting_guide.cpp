#include "tools/prompting_guide.h"

namespace rdmcp::tools {

const std::string& prompting_guide_markdown() {
    static const std::string guide = R"md(# Prompting RetroDiffusion

RetroDiffusion turns a short description into pixel art. Every generation is paid with the
caller's own balance, so a good first prompt saves money.

## Write the subject, not the style
- Describe what is in the picture: "a goblin merchant with a lantern and a heavy backpack".
- Never write "pixel art", "8-bit", "sprite" or other style words: `prompt_style` does that,
  and style words in the prompt fight it.
- Put the important thing first, then pose, clothing, colors, lighting, background.
- Short prompts are expanded by the API; send `bypass_prompt_expansion: true` to keep yours
  exactly as written.

## Pick the style first
- Read `rd://styles` (or call `list_available_styles`) and pick a `prompt_style`; read
  `rd://styles/{prompt_style}` (or `get_style_usage`) for its sizes, batch limit, inputs and an
  example call.
- RD Pro styles (`rd_pro__*`) give the best quality and take `reference_images`.
- RD Fast and RD Plus are cheaper for drafts and large batches; `rd_mini__*` for tiny sprites.
- Animations are `rd_animation__*` (from a prompt) and `rd_advanced_animation__*` (from a start
  frame you give as `input_image`); tilesets are `rd_tile__*`.
- Width and height must be within the style's limits; some styles take one size only.

## Know the price before paying
- `estimate_inference_cost` asks the API for the exact price and charges nothing.
- `get_balance` shows what is left, and the spend limits of this server.
- Pass `max_cost` (USD) to any paid tool to cap that call.

## Iterate cheaply
- Fix a `seed` and change only the prompt to explore one composition.
- Draft with `num_images` of 2-4 on a cheap style, then make the final one with RD Pro.
- `input_image` with `strength` (0-1, default 0.75) reworks an existing picture: low keeps it,
  high changes it.

## A consistent character
1. Generate the character once with an RD Pro style, on a plain background.
2. Pass that image in `reference_images` of every follow-up ("the same knight, sitting by a
   campfire"): the API keeps face, outfit and colors.
3. Use the same style and a similar size for the whole set.

## Animations
- Animations take 30-90 seconds: use `start_inference_job` and poll `get_inference_job` (or
  read `rd://jobs/{job_id}`), so no client timeout loses a paid result.
- Output is a GIF; `return_spritesheet: true` gives a PNG sheet for game engines.
- Advanced animations need a start frame (`input_image`) exactly `width` x `height`; describe
  the motion, not the character ("confident, steady steps"). `frames_duration` is 4-16.
- From a still: make the still first, then animate it with an advanced animation style.

## Tilesets
- `rd_tile__tileset` makes a whole tileset from one texture; `width` and `height` are one
  tile (16-32 px).
- `rd_tile__tileset_advanced` blends two textures: `prompt` is the inside, `extra_prompt` the
  outside ("grey stones with gravel" inside "lush green grass").
- `tile_x` / `tile_y` make a single image seamless for backgrounds.

## Finish the asset
- `remove_bg: true` at generation, or `run_edit_tool` with `background_remover`, gives a
  transparent background.
- `color_reducer` and `palette_converter` fit the art to a palette (`input_palette`).
- `fix_pixel_art` (free) cleans upscaled or blurry pixel art back onto a clean grid.
- `k_centroid_downscale` shrinks without smearing pixels.

## Never pay twice
- A paid call that timed out is not lost: `list_inference_jobs` finds a job, and
  `get_inference_result` recovers a finished generation for 24 hours.
- Do not resubmit a generation you did not see fail.
)md";
    return guide;
}

}  // namespace rdmcp::tools
