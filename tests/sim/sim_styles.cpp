#include "sim_styles.h"

#include <cctype>
#include <map>

namespace rdsim {
namespace {

StyleSpec image(std::string id, std::string family, PriceRule price, int min, int max, int batch,
                std::string description) {
    StyleSpec s;
    s.id = std::move(id);
    s.family = family;
    s.model = std::move(family);
    s.kind = StyleKind::Image;
    s.min_width = s.min_height = min;
    s.max_width = s.max_height = max;
    s.max_images = batch;
    s.price = price;
    s.description = std::move(description);
    return s;
}

StyleSpec pro(std::string suffix, int min, std::string description, bool input = false) {
    StyleSpec s =
        image("rd_pro__" + suffix, "rd_pro", PriceRule::Pro, min, 256, 4, std::move(description));
    s.max_reference_images = 9;
    s.input_required = input;
    return s;
}

StyleSpec mini(std::string suffix, std::string routed, int min, int max, std::string description) {
    StyleSpec s = image("rd_mini__" + suffix, "rd_mini", PriceRule::LowRes, min, max, 16,
                        std::move(description));
    s.model = std::move(routed);
    return s;
}

StyleSpec animation(std::string suffix, int size, double usd, int batch, int refs,
                    std::string description) {
    StyleSpec s = image("rd_animation__" + suffix, "rd_animation", PriceRule::Flat, size, size,
                        batch, std::move(description));
    s.kind = StyleKind::Animation;
    s.flat_usd = usd;
    s.max_reference_images = refs;
    return s;
}

StyleSpec advanced(std::string suffix, double usd, std::string description) {
    StyleSpec s = image("rd_advanced_animation__" + suffix, "rd_advanced_animation",
                        PriceRule::Flat, 32, 256, 1, std::move(description));
    s.kind = StyleKind::AdvancedAnimation;
    s.flat_usd = usd;
    s.input_required = true;
    return s;
}

StyleSpec tile(std::string suffix, int min, int max, int batch, PriceRule price,
               std::string description) {
    StyleSpec s =
        image("rd_tile__" + suffix, "rd_tile", price, min, max, batch, std::move(description));
    s.kind = StyleKind::Tileset;
    return s;
}

std::vector<StyleSpec> build_table() {
    using P = PriceRule;
    std::vector<StyleSpec> t;
    // RD Pro: 64..256 (newer document; the older said 96..256), batch<=4, refs<=9.
    t.push_back(pro("default", 64,
                    "Clean modern pixel art style model that allows multiple reference images and "
                    "extremely detailed prompting."));
    t.push_back(pro("painterly", 64,
                    "Almost brush-like style with minimal outlines or anti-aliasing. Clean vibrant "
                    "color palettes and beautiful details"));
    t.push_back(
        pro("fantasy", 64,
            "Bright colors, soft transitions, detailed textures, light dithering, and outlines."));
    t.push_back(
        pro("horror", 64, "Dark, gritty style with chaotic details and harsh shapes and shading."));
    t.push_back(pro("scifi", 64,
                    "High contrast with glowing details, clean outlines, and beautiful lighting."));
    t.push_back(
        pro("simple", 64,
            "Simple pixel art with minimal shading or texturing, but strong outlines and shapes."));
    t.push_back(
        pro("isometric", 64, "Pixel art rotated at a 45 degree angle. Clean lines and shapes."));
    t.push_back(
        pro("topdown", 64,
            "Pixel art viewed from a 2/3 downwards angle, with simple shapes and shading."));
    t.push_back(
        pro("platformer", 64,
            "Side-scroller style platformer perspective, with modern styling and outlines."));
    t.push_back(pro(
        "dungeon_map", 64,
        "Dungeon-crawler style game levels with connected rooms filled with objects and enemies."));
    t.push_back(pro("spritesheet", 64,
                    "Collections of assets on a simple background with the same style."));
    t.push_back(pro("fps_weapon", 64, "First person perspective weapons, items, and objects."));
    t.push_back(
        pro("typography", 64,
            "Generate logos, buttons, or any other element using text as the central focus."));
    // Newer document: 256x256 only; older: the RD Pro default range 96..256. Wider taken.
    t.push_back(pro("hexagonal_tiles", 96, "Small collection of hexagonal tiles for game maps."));
    t.push_back(pro(
        "ui_panel", 96,
        "Consistent arrangements of UI elements, split into buttons, sliders, panels, and knobs."));
    t.push_back(pro("inventory_items", 96,
                    "Creates a spritesheet of grid aligned inventory items (like for Diablo or "
                    "Path of Exile)"));
    t.push_back(
        pro("edit", 64,
            "Upload an image and describe the changes you want. You can use up to 9 references.",
            true));
    t.push_back(pro("pixelate", 64, "Convert input images into pixel art.", true));

    // RD Plus.
    for (const auto& [suffix, text] : std::vector<std::pair<std::string, std::string>>{
             {"default", "Clean pixel art style with bold colors and outlines"},
             {"retro", "Classic pixel art style inspired by PC98 games"},
             {"watercolor", "Pixel art mixed with a watercolor painting aesthetic"},
             {"textured", "Semi-realistic pixel art style with lots of shading and texture"},
             {"cartoon", "Simple shapes and shading, with bold outlines"},
             {"ui_element", "User interface boxes and buttons"},
             {"item_sheet", "Sheets of objects placed on a simple background"},
             {"character_turnaround", "Character sprites viewed from different angles"},
             {"environment", "One-point perspective scenes with outlines and strong shapes"},
             {"topdown_map", "Video game map style pixel art with a 3/4 top down perspective"},
             {"topdown_asset", "3/4 top down perspective game assets on a simple background"},
             {"isometric", "45 degree isometric perspective, with consistent outlines"},
             {"isometric_asset", "45 degree isometric objects or assets, on a neutral background"}})
        t.push_back(image("rd_plus__" + suffix, "rd_plus", P::Plus, 64, 384, 16, text));
    t.push_back(image("rd_plus__classic", "rd_plus", P::LowRes, 32, 192, 16,
                      "Strongly outlined medium-resolution pixel art with a focus on simple "
                      "shading and clear design"));
    // skill_icon: older 16..128, newer 32..192 -> 16..192. topdown_item: older 16..128,
    // newer 16..96.
    t.push_back(image("rd_plus__skill_icon", "rd_plus", P::LowRes, 16, 192, 16,
                      "Icons for skills, abilities, or spells"));
    t.push_back(image("rd_plus__low_res", "rd_plus", P::LowRes, 16, 128, 16,
                      "High quality, low resolution pixel art assets and backgrounds"));
    t.push_back(image("rd_plus__mc_item", "rd_plus", P::LowRes, 16, 128, 16,
                      "High quality Minecraft-styled items and game assets"));
    t.push_back(
        image("rd_plus__mc_texture", "rd_plus", P::LowRes, 16, 128, 16,
              "Detailed Minecraft-style flat block textures, with enhanced prompt following"));
    t.push_back(image("rd_plus__topdown_item", "rd_plus", P::LowRes, 16, 128, 16,
                      "Top-down view of items and objects, with a simple background"));

    // RD Fast.
    t.push_back(image("rd_fast__default", "rd_fast", P::Fast, 64, 384, 15,
                      "Simple clean pixel art, with Anime illustration influences"));
    for (const auto& [suffix, text] : std::vector<std::pair<std::string, std::string>>{
             {"retro", "A classic arcade game aesthetic inspired by early PC games"},
             {"simple", "Simple shading with minimalist shapes and designs"},
             {"detailed", "Pixel art with lots of shading and details"},
             {"anime", "Simple clean pixel art, with Anime illustration influences"},
             {"game_asset", "Distinct assets set on a simple background"},
             {"portrait", "Character portrait focused images with high detail"},
             {"texture", "Flat game textures like stones, bricks, or wood"},
             {"ui", "User interface boxes and buttons"},
             {"item_sheet", "Sheets of objects placed on a simple background"},
             {"character_turnaround", "Character sprites viewed from different angles"},
             {"1_bit", "Two color black and white only images"},
             {"no_style", "Pixel art with no style influence applied"}})
        t.push_back(image("rd_fast__" + suffix, "rd_fast", P::Fast, 64, 384, 16, text));
    // The newer document prices every "mc_*, low_res" style with the low-res formula.
    t.push_back(image("rd_fast__low_res", "rd_fast", P::LowRes, 16, 128, 16,
                      "General low resolution pixel art images"));
    t.push_back(image("rd_fast__mc_item", "rd_fast", P::LowRes, 16, 128, 16,
                      "Minecraft-styled items with automatic transparency"));
    t.push_back(image("rd_fast__mc_texture", "rd_fast", P::LowRes, 16, 128, 16,
                      "Minecraft-styled flat textures, like grass, stones, or wood"));

    // RD Mini: aliases routed to RD Plus / RD Fast low-res styles.
    t.push_back(mini("classic", "rd_plus", 32, 192, "Routes to rd_plus__classic"));
    t.push_back(mini("skill_icon", "rd_plus", 32, 192, "Routes to rd_plus__skill_icon"));
    t.push_back(mini("low_res", "rd_plus", 16, 128, "Routes to rd_plus__low_res"));
    t.push_back(mini("mc_item", "rd_plus", 16, 128, "Routes to rd_plus__mc_item"));
    t.push_back(mini("mc_texture", "rd_plus", 16, 128, "Routes to rd_plus__mc_texture"));
    t.push_back(mini("fast_low_res", "rd_fast", 16, 128, "Routes to rd_fast__low_res"));
    t.push_back(mini("fast_mc_item", "rd_fast", 16, 128, "Routes to rd_fast__mc_item"));
    t.push_back(mini("fast_mc_texture", "rd_fast", 16, 128, "Routes to rd_fast__mc_texture"));
    t.push_back(mini("topdown_item", "rd_plus", 16, 96, "Routes to rd_plus__topdown_item"));

    // Animations. four_angle_walking(_idle): other sizes are ignored and default to 48x48.
    StyleSpec walk =
        animation("four_angle_walking", 48, 0.07, 1, 0,
                  "Consistent 4 direction, 4 frame long walking animations of humanoid characters");
    walk.size_ignored = true;
    t.push_back(walk);
    StyleSpec idle =
        animation("four_angle_walking_idle", 48, 0.07, 1, 0,
                  "Consistent 4 direction walking and idle animations of humanoid characters");
    idle.size_ignored = true;
    t.push_back(idle);
    // small_sprites: older "one image at a time", newer batch<=16 -> 16.
    t.push_back(animation("small_sprites", 32, 0.07, 16, 0,
                          "Consistent 4 direction walking, arm movement, looking, surprised, and "
                          "laying down animations"));
    StyleSpec vfx = animation(
        "vfx", 24, 0.07, 1, 0,
        "Eye-catching animations for fire, explosions, lightning, or other simple effects");
    vfx.max_width = vfx.max_height = 96;
    vfx.square_only = true;
    t.push_back(vfx);
    t.push_back(
        animation("any_animation", 64, 0.25, 1, 9,
                  "General purpose custom animation sheets with optional first frame input"));
    t.push_back(animation("big_animation", 128, 0.07, 1, 9, "Larger custom animations"));
    t.push_back(
        animation("8_dir_rotation", 80, 0.25, 1, 5, "Create 8 direction rotations of anything"));
    t.push_back(animation("battle_sprites", 64, 0.07, 1, 0, "Battle sprite animations"));

    // Advanced animations: input_image required, 32..256, batch 1.
    for (const char* s : {"walking", "idle", "jump", "crouch", "attack", "destroy"})
        t.push_back(advanced(s, 0.14, std::string("Animate an uploaded start frame: ") + s));
    t.push_back(advanced("custom_action", 0.25,
                         "Animate an uploaded start frame with any described motion"));
    t.push_back(advanced("subtle_motion", 0.25, "Ambient scene motion for an uploaded frame"));

    // Tilesets.
    StyleSpec tileset = tile("tileset", 16, 32, 1, P::Flat,
                             "Create full tilesets from a simple prompt describing the textures or "
                             "environment, using a simple set of \"wang\" style combinations");
    tileset.flat_usd = 0.10;
    t.push_back(tileset);
    StyleSpec tileset_adv = tile("tileset_advanced", 16, 32, 1, P::Flat,
                                 "Full tilesets from two prompts and/or textures, using a simple "
                                 "set of \"wang\" style combinations");
    tileset_adv.flat_usd = 0.10;
    t.push_back(tileset_adv);
    t.push_back(tile("single_tile", 16, 64, 16, P::LowRes,
                     "Detailed single tile texture for creating full tilesets or surfaces"));
    StyleSpec variation = tile("tile_variation", 16, 128, 16, P::LowRes,
                               "Texture variations of the provided tile image");
    variation.input_required = true;
    t.push_back(variation);
    t.push_back(tile("tile_object", 16, 96, 16, P::LowRes,
                     "Small assets for placing on sections of tiles"));
    // Neither document prices scene_object; it shares rd_plus's 64..384 range and formula here.
    t.push_back(
        tile("scene_object", 64, 384, 16, P::Plus, "Large assets for placing on tileset maps"));
    return t;
}

const std::map<std::string, std::string>& legacy_names() {
    static const std::map<std::string, std::string> names = {
        {"animation__any_animation", "rd_animation__any_animation"},
        {"animation__8_dir_rotation", "rd_animation__8_dir_rotation"},
        {"animation__four_angle_walking", "rd_animation__four_angle_walking"},
        {"animation__walking_and_idle", "rd_animation__four_angle_walking_idle"},
        {"animation__small_sprites", "rd_animation__small_sprites"},
        {"animation__vfx", "rd_animation__vfx"},
    };
    return names;
}

std::string display_name(const std::string& id) {
    const auto sep = id.find("__");
    std::string name = sep == std::string::npos ? id : id.substr(sep + 2);
    bool start = true;
    for (char& c : name) {
        if (c == '_') {
            c = ' ';
            start = true;
        } else if (start) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            start = false;
        }
    }
    return name;
}

std::string example_prompt(StyleKind kind) {
    switch (kind) {
        case StyleKind::Animation:
            return "corgi wearing a party hat";
        case StyleKind::AdvancedAnimation:
            return "Confident, steady steps";
        case StyleKind::Tileset:
            return "grey stones with gravel and dirt";
        case StyleKind::Image:
            break;
    }
    return "A really cool corgi wearing sunglasses and a party hat";
}

}  // namespace

const std::vector<StyleSpec>& public_styles() {
    static const std::vector<StyleSpec> table = build_table();
    return table;
}

const StyleSpec* find_public_style(std::string_view prompt_style) {
    std::string id(prompt_style);
    if (const auto it = legacy_names().find(id); it != legacy_names().end()) id = it->second;
    const std::string flux = ":rd_flux";
    if (id.size() > flux.size() && id.compare(id.size() - flux.size(), flux.size(), flux) == 0)
        id = "rd_fast__" + id.substr(0, id.size() - flux.size());
    for (const StyleSpec& s : public_styles()) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

StyleSpec user_style_spec(const std::string& prompt_style) {
    StyleSpec s = *find_public_style("rd_pro__default");
    s.id = prompt_style;
    s.family = "rd_pro";
    s.description = "User style";
    return s;
}

bool is_animated(const StyleSpec& s) {
    return s.kind == StyleKind::Animation || s.kind == StyleKind::AdvancedAnimation;
}

std::string_view tab_of(StyleKind kind) {
    switch (kind) {
        case StyleKind::Animation:
            return "tab:animation";
        case StyleKind::AdvancedAnimation:
            return "tab:advanced-animation";
        case StyleKind::Tileset:
            return "tab:tileset";
        case StyleKind::Image:
            break;
    }
    return "tab:image";
}

namespace {

// Applies one SimConfig::styles entry (checked by style_change_problem) to a spec.
void apply_change(StyleSpec& s, const nlohmann::json& fields) {
    auto whole = [&](const char* name, int& into) {
        if (fields.contains(name)) into = fields[name].get<int>();
    };
    whole("min_width", s.min_width);
    whole("max_width", s.max_width);
    whole("min_height", s.min_height);
    whole("max_height", s.max_height);
    whole("max_number_of_images", s.max_images);
    if (fields.contains("require_input_image"))
        s.input_required = fields["require_input_image"].get<bool>();
    if (fields.contains("supports_reference_images"))
        s.max_reference_images = fields["supports_reference_images"].get<bool>() ? 9 : 0;
    if (fields.contains("name")) s.name = fields["name"].get<std::string>();
    if (fields.contains("description")) s.description = fields["description"].get<std::string>();
    if (fields.contains("example_prompt"))
        s.example_prompt = fields["example_prompt"].get<std::string>();
    if (s.min_width != s.max_width || s.min_height != s.max_height) s.size_ignored = false;
}

const StyleSpec* first_of_family(const std::string& family) {
    for (const StyleSpec& s : public_styles()) {
        if (s.family == family) return &s;
    }
    return nullptr;
}

std::optional<StyleKind> kind_of_tab(const std::string& tab) {
    for (StyleKind k : {StyleKind::Image, StyleKind::Animation, StyleKind::AdvancedAnimation,
                        StyleKind::Tileset}) {
        if (tab_of(k) == tab) return k;
    }
    return std::nullopt;
}

// A style published after the documents: checked and priced like the first style of its family.
std::optional<StyleSpec> published_style(const std::string& id, const nlohmann::json& fields) {
    const StyleSpec* base = first_of_family(fields.value("required_model", std::string()));
    if (!base) return std::nullopt;
    StyleSpec s = *base;
    s.id = id;
    s.name.clear();
    s.example_prompt.clear();
    if (fields.contains("required_tab")) {
        if (auto kind = kind_of_tab(fields["required_tab"].get<std::string>())) s.kind = *kind;
    }
    apply_change(s, fields);
    return s;
}

std::string internal_id(const StyleSpec& s) {
    return s.id == "rd_fast__default" ? "default:rd_flux" : s.id;
}

}  // namespace

std::optional<StyleSpec> find_current_style(const nlohmann::json& changes,
                                            std::string_view prompt_style) {
    if (const StyleSpec* s = find_public_style(prompt_style)) {
        StyleSpec changed = *s;
        if (auto it = changes.find(s->id); changes.is_object() && it != changes.end())
            apply_change(changed, *it);
        return changed;
    }
    if (auto it = changes.find(std::string(prompt_style));
        changes.is_object() && it != changes.end())
        return published_style(it.key(), *it);
    return std::nullopt;
}

std::optional<std::string> style_change_problem(const std::string& id,
                                                const nlohmann::json& fields) {
    for (const auto& [name, value] : fields.items()) {
        const bool whole = name == "min_width" || name == "max_width" || name == "min_height" ||
                           name == "max_height" || name == "max_number_of_images";
        const bool flag = name == "require_input_image" || name == "supports_reference_images";
        const bool text = name == "name" || name == "description" || name == "example_prompt" ||
                          name == "required_model" || name == "required_tab";
        if (whole && !(value.is_number_integer() && value.get<std::int64_t>() >= 1 &&
                       value.get<std::int64_t>() <= 512))
            return "styles." + id + "." + name + " must be an integer 1..512";
        if (flag && !value.is_boolean()) return "styles." + id + "." + name + " must be a boolean";
        if (text && !value.is_string()) return "styles." + id + "." + name + " must be a string";
        if (!whole && !flag && !text) return "styles." + id + ": unknown field " + name;
    }
    if (!find_public_style(id) && !first_of_family(fields.value("required_model", std::string())))
        return "styles." + id + " is a new style: give required_model (rd_fast, rd_plus, ...)";
    return std::nullopt;
}

nlohmann::json selector_items(const nlohmann::json& changes,
                              const std::optional<std::string>& model,
                              const std::optional<std::string>& tab) {
    std::vector<StyleSpec> styles;
    for (const StyleSpec& s : public_styles()) styles.push_back(*find_current_style(changes, s.id));
    for (const auto& [id, fields] : changes.items()) {
        if (!find_public_style(id)) {
            if (auto s = published_style(id, fields)) styles.push_back(*s);
        }
    }
    nlohmann::json items = nlohmann::json::array();
    for (const StyleSpec& s : styles) {
        if (model && *model != s.family) continue;
        if (tab && *tab != tab_of(s.kind)) continue;
        nlohmann::json item = {{"prompt_style", internal_id(s)},
                               {"name", s.name.empty() ? display_name(s.id) : s.name},
                               {"description", s.description},
                               {"required_model", s.family},
                               {"required_tab", tab_of(s.kind)},
                               {"min_width", s.min_width},
                               {"max_width", s.max_width},
                               {"min_height", s.min_height},
                               {"max_height", s.max_height},
                               {"max_number_of_images", s.max_images}};
        // RD Mini items are aliases: the API leaves their optional fields null, so out.
        if (s.family != "rd_mini") {
            item["group_id"] = s.family;
            item["require_input_image"] = s.input_required;
            item["prompt_requirement"] =
                s.kind == StyleKind::AdvancedAnimation ? "optional" : "required";
            item["supports_frames_duration"] = s.kind == StyleKind::AdvancedAnimation;
            item["supports_reference_images"] = s.max_reference_images > 0;
            item["example_prompt"] =
                s.example_prompt.empty() ? example_prompt(s.kind) : s.example_prompt;
        }
        items.push_back(std::move(item));
    }
    return items;
}

nlohmann::json user_selector_item(const std::string& prompt_style, const std::string& name,
                                  const std::string& description) {
    const StyleSpec s = user_style_spec(prompt_style);
    // No example prompt or group: a user's template has none.
    return {{"prompt_style", prompt_style},     {"name", name},
            {"description", description},       {"required_model", "rd_pro"},
            {"required_tab", tab_of(s.kind)},   {"min_width", s.min_width},
            {"max_width", s.max_width},         {"min_height", s.min_height},
            {"max_height", s.max_height},       {"max_number_of_images", s.max_images},
            {"require_input_image", false},     {"prompt_requirement", "required"},
            {"supports_reference_images", true}};
}

nlohmann::json selector_models() { return {"rd_fast", "rd_plus", "rd_pro", "rd_mini"}; }

nlohmann::json selector_tabs() {
    return {"tab:image", "tab:animation", "tab:advanced-animation", "tab:tileset"};
}

}  // namespace rdsim
