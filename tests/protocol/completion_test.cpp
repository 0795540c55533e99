#include "protocol/completion.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

TEST_CASE("completions rank equal, then prefix, then a word's start, then anywhere") {
    const std::vector<std::string> styles = {"rd_tile__tileset_advanced", "rd_fast__default",
                                             "rd_pro__default",           "rd_tile__tileset",
                                             "rd_animation__walking",     "rd_pro__defaultish"};
    auto ranked = rank_completions(styles, "rd_pro__default");
    CHECK(ranked["values"] == Json::array({"rd_pro__default", "rd_pro__defaultish"}));

    ranked = rank_completions(styles, "tileset");
    // Both start a word ("__tileset"); the catalog's order is kept within a group.
    CHECK(ranked["values"] == Json::array({"rd_tile__tileset_advanced", "rd_tile__tileset"}));

    ranked = rank_completions(styles, "ALK");  // case-insensitive, inside a word
    CHECK(ranked["values"] == Json::array({"rd_animation__walking"}));

    ranked = rank_completions(styles, "default");
    CHECK(ranked["values"] ==
          Json::array({"rd_fast__default", "rd_pro__default", "rd_pro__defaultish"}));
    CHECK(ranked["total"] == 3);
    CHECK(ranked["hasMore"] == false);
}

TEST_CASE("at most 100 values, with the true total and hasMore; duplicates once") {
    std::vector<std::string> many;
    for (int i = 0; i < 250; ++i) many.push_back("style_" + std::to_string(i));
    many.push_back("style_0");
    auto ranked = rank_completions(many, "");
    CHECK(ranked["values"].size() == 100);
    CHECK(ranked["total"] == 250);
    CHECK(ranked["hasMore"] == true);
    CHECK(rank_completions(many, "nothing like it")["values"].empty());
    CHECK(rank_completions({}, "x")["total"] == 0);
}
