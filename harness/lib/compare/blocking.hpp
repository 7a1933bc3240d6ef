#pragma once
// Whether a comparison blocks by slot. A slot is one repetition number of a compare's plan: with
// `compare --jobs N` and N >= the number of kernels, the runs of one slot (one boot of every
// kernel) run at the same time, so whatever the host does to one it does to the others. Blocking
// by slot compares each kernel with the baseline within a slot (blocked_ratio.hpp), which takes
// the host's drift and load out of the comparison; without blocking, each kernel's boots are one
// independent sample (welch.hpp, bootstrap.hpp).

#include <optional>
#include <string_view>

namespace numalab::compare {

enum class Blocking {
  none,  // the boots of each kernel as independent samples
  slot,  // within-slot ratios (blocked_ratio.hpp)
};

std::string_view to_string(Blocking b);  // "none", "slot"
std::optional<Blocking> blocking_from_string(std::string_view s);

// What `--blocking auto` means: slot when the runs of a slot ran side by side, none otherwise
// (a sequential compare's slot is only its repetition number: the kernels of a slot ran one
// after another, and blocking them buys little). `asked` nullopt is auto.
Blocking resolve_blocking(std::optional<Blocking> asked, bool side_by_side);

}  // namespace numalab::compare
