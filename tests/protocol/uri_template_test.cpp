#include "protocol/uri_template.h"

#include <doctest/doctest.h>

#include <stdexcept>

using rdmcp::protocol::UriTemplate;

TEST_CASE("a URI template reads its one variable back, percent-decoded") {
    const UriTemplate styles("rd://styles/{prompt_style}");
    CHECK(styles.variable() == "prompt_style");
    CHECK(styles.match("rd://styles/rd_pro__default") == "rd_pro__default");
    CHECK(styles.match("rd://styles/rd%5Fpro__default") == "rd_pro__default");
    CHECK(styles.match("rd://styles/my%20style") == "my style");
}

TEST_CASE("a URI that does not fit the template matches nothing") {
    const UriTemplate styles("rd://styles/{prompt_style}");
    CHECK_FALSE(styles.match("rd://styles/"));       // empty value
    CHECK_FALSE(styles.match("rd://styles"));        // no value at all
    CHECK_FALSE(styles.match("rd://jobs/abc"));      // another prefix
    CHECK_FALSE(styles.match("rd://styles/a/b"));    // a path, not one value
    CHECK_FALSE(styles.match("rd://styles/a%2Fb"));  // nor an encoded one
    CHECK_FALSE(styles.match("rd://styles/%zz"));    // a broken escape
    CHECK_FALSE(styles.match("rd://styles/%4"));     // a cut escape
    CHECK_FALSE(styles.match(std::string("rd://styles/") + std::string(600, 'a')));  // too long
    const UriTemplate suffixed("rd://jobs/{job_id}/page");
    CHECK(suffixed.match("rd://jobs/42/page") == "42");
    CHECK_FALSE(suffixed.match("rd://jobs/42"));
}

TEST_CASE("expanding encodes what is not unreserved, and reads back the same") {
    const UriTemplate jobs("rd://jobs/{job_id}");
    CHECK(jobs.expand("rdjob1.abc-_~") == "rd://jobs/rdjob1.abc-_~");
    CHECK(jobs.expand("a b/c") == "rd://jobs/a%20b%2Fc");
    CHECK(jobs.match(jobs.expand("a b")) == "a b");
}

TEST_CASE("a template without exactly one variable is a programming error") {
    CHECK_THROWS_AS(UriTemplate("rd://styles"), std::logic_error);
    CHECK_THROWS_AS(UriTemplate("rd://{a}/{b}"), std::logic_error);
    CHECK_THROWS_AS(UriTemplate("rd://{}"), std::logic_error);
}
