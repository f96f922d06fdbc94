#!/usr/bin/env bash
# Runs one fuzz target on stable Rust (no sanitizer, so no nightly), seeded at run time from the
# shared corpus, the malformed inputs and the fuzz regressions; nothing of the shared corpus is
# copied into the repository. New inputs go to fuzz/corpus/TARGET (git-ignored), crashes to
# fuzz/artifacts/TARGET.
#
#   fuzz/run.sh TARGET [SECONDS] [more libFuzzer flags]
#   # TARGET: edmx_reader, model, pipeline, doctables
#
# One process (no -jobs: with -jobs libFuzzer forks a child and logs to ./fuzz-N.log); the
# machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh edmx_reader|model|pipeline|doctables [SECONDS] [libFuzzer flags]}
secs=${2:-600}
shift $(($# < 2 ? $# : 2))
mkdir -p "fuzz/corpus/$target"
if [ "$target" = doctables ]; then
    # Documentation tables: the seeds (markdown, numbered lists, Swagger), our own docs and the
    # malformed-table fixtures.
    seeds=(../shared/seeds schemas/docs/graph-directory schemas/docs/azure-ad-graph
        codegen/tests/fixtures/doctables)
    [ -d tests/fixtures/fuzz-doctables ] && seeds+=(tests/fixtures/fuzz-doctables)
else
    seeds=(tests/fixtures/malformed)
    [ -d tests/fixtures/fuzz ] && seeds+=(tests/fixtures/fuzz)
    # The Graph documents (3-4 MB) are left out: above -max_len, they slow each run to seconds.
    for d in reference edge services; do
        [ -d "../shared/corpus/$d" ] && seeds+=("../shared/corpus/$d")
    done
fi
dict=fuzz/xml.dict
[ "$target" = doctables ] && dict=fuzz/md.dict
exec cargo fuzz run -s none "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
    -dict="$dict" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=1000000 \
    -timeout=30 -print_final_stats=1 "$@"
