#!/bin/sh
# Builds the drawing side with its own harness, golden test and benchmark
# into render-native/build/harness/ (no protocol side needed except the
# rule loader). Usage: tests/build_harness.sh  (from render-native/)
set -e
cd "$(dirname "$0")/.."
B=build/harness
mkdir -p $B/obj
CXXFLAGS="-std=c++17 -O2 -Wall -Wextra -Werror $(pkg-config --cflags cairo)"
LIBS="$(pkg-config --libs cairo) -lz -ldl"
objs=""
for f in render_*.cc plugin_json.cc plugin_rules.cc plugin_load.cc tests/render_cases.cc; do
  o=$B/obj/$(basename "$f" .cc).o
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find . -maxdepth 1 -name '*.h' -newer "$o")" ]; then
    g++ $CXXFLAGS -c "$f" -o "$o"
  fi
  objs="$objs $o"
done
for t in render_harness golden_test bench_render; do
  [ -f tests/$t.cc ] || continue
  g++ $CXXFLAGS tests/$t.cc $objs -o $B/$t $LIBS
done
cp $B/bench_render build/bench_render  # where tools/bench/render.ts looks for it
echo "built $B/render_harness $B/golden_test $B/bench_render"
if [ "$1" = test ]; then
  ./$B/golden_test  # from render-native/: goldens in ../tests/golden/render, rules in ../plugins/rules
fi
