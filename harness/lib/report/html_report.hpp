#pragma once
// The HTML report: harness/report/compare_html.py (Debian's python3 and python3-matplotlib)
// renders a compare document into OUT/index.html, plots inline, readable without a server.

#include <filesystem>

#include "util/error.hpp"

namespace numalab::report {

// The renderer numalab uses: $NUMALAB_REPORT_SCRIPT, else the one in numalab's source tree.
std::filesystem::path html_renderer_path();

// Renders `document` (a compare.json) into out_dir/index.html; the renderer's messages go to
// out_dir/render.log. Returns the page's path.
util::Result<std::filesystem::path> render_html(const std::filesystem::path& document,
                                                const std::filesystem::path& out_dir);

}  // namespace numalab::report
