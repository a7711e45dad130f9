#!/usr/bin/env bash
# Runs every Kindling benchmark and the PyTorch comparison, then regenerates docs/performance.md.
#
#   benchmarks/run.sh            the full run (about 50 minutes on 2 cores)
#   benchmarks/run.sh --quick    a smoke run (about 12 minutes): fewer shapes, one iteration, few steps;
#                                its numbers are not for the report, only to see that everything runs
#
# Run it from anywhere; it works in the repository root. Needs: JDK 17+ as `java`, Maven (offline is
# fine once ~/.m2 holds the dependencies), /usr/bin/python3 with torch (Debian's python3-torch).
# Optional: a second JDK for the training-step comparison, JAVA25=/path/to/bin/java (default: the
# Temurin 25 that CI uses, /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; skipped when it is missing).
# Raw results go to benchmarks/target/results/; the report is written from them by report.py.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=""
[[ "${1:-}" == "--quick" ]] && QUICK="--quick"
OUT=benchmarks/target/results
JAR=benchmarks/target/benchmarks.jar
JAVA=(java --add-modules jdk.incubator.vector)
JAVA25_BIN=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA25=("$JAVA25_BIN" --add-modules jdk.incubator.vector)
[[ -x "$JAVA25_BIN" ]] || JAVA25=()
PYTHON=/usr/bin/python3

rm -rf "$OUT"              # no result of an earlier run may leak into this report
mkdir -p "$OUT"
log() { echo "[run.sh $(date +%H:%M:%S)] $*" >&2; }
# The load average after each phase: the machine may be shared, and the report says how busy it was.
mark() { echo "load_after_$1=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"; }

# OpenBLAS (PyTorch's BLAS here, and the one inside ND4J) picks its kernels from a table of the CPUs
# it knows; a CPU newer than that table gets the generic "Prescott" kernels, without AVX, and on one
# AVX-512 machine that made torch.mm 1024³ run at 34 GFLOP/s instead of 127. Then the peers would
# not be at their best, so name the nearest core OpenBLAS knows (its documented OPENBLAS_CORETYPE),
# unless the caller chose one; machine.txt and the report say which.
OPENBLAS_DETECTED=$(env -u OPENBLAS_CORETYPE OPENBLAS_VERBOSE=2 $PYTHON -c \
  'import torch; torch.mm(torch.ones(64, 64), torch.ones(64, 64))' 2>&1 | sed -n 's/^Core: //p' | head -1)
if [[ -z "${OPENBLAS_CORETYPE:-}" && "$OPENBLAS_DETECTED" == "Prescott" ]]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi

log "building (mvn -o -Pbenchmarks -pl benchmarks -am package -DskipTests -Dquick)"
mvn -q -o -Pbenchmarks -pl benchmarks -am package -DskipTests -Dquick
[[ -f "$JAR" ]] || { echo "build failed: $JAR missing" >&2; exit 1; }

# The machine, before anything runs.
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode=$([[ -n "$QUICK" ]] && echo quick || echo full)"
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- core nn examples benchmarks || echo ' (uncommitted changes)')"
  echo "cpu_model=$(lscpu | sed -n 's/^Model name: *//p')"
  echo "cpus=$(nproc)"
  echo "threads_per_core=$(lscpu | sed -n 's/^Thread(s) per core: *//p')"
  echo "cpu_mhz=$(grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/.*: //')"
  echo "caches=$(lscpu | sed -n 's/^\(L[123][di]* cache\): *\(.*\)/\1 \2/p' | paste -sd ';' -)"
  echo "flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|f16c|avx512.*|avx_vnni|amx.*)$' | paste -sd ' ' -)"
  echo "memory=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "java=$("${JAVA[@]}" -version 2>&1 | grep -v WARNING | sed -n 2p)"
  echo "java25=$([[ ${#JAVA25[@]} -gt 0 ]] && "${JAVA25[@]}" -version 2>&1 | grep -v WARNING | sed -n 2p || echo none)"
  echo "maven=$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
  echo "torch=$($PYTHON -c 'import torch; print(torch.__version__)')"
  echo "torch_blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || echo unknown)"
  # 1: the kernel shares the CPU between sessions first, so nice ranks processes only within a session
  echo "openblas_detected=${OPENBLAS_DETECTED:-unknown}"
  echo "openblas_coretype=${OPENBLAS_CORETYPE:-}"
  echo "sched_autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo unknown)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
log "machine: $(tr '\n' ' ' < "$OUT/machine.txt")"

log "peer check: Kindling and ND4J on the same inputs"
"${JAVA[@]}" -cp "$JAR" kindling.benchmarks.PeerCheck 2>/dev/null | tail -1 > "$OUT/peers.json"
log "FMA peak probe (and the vector width each JDK chooses)"
"${JAVA[@]}" -cp "$JAR" kindling.benchmarks.FmaPeak 2>/dev/null > "$OUT/peak.json"
if [[ ${#JAVA25[@]} -gt 0 ]]; then
  "${JAVA25[@]}" -cp "$JAR" kindling.benchmarks.FmaPeak 2>/dev/null > "$OUT/peak-jdk25.json"
fi

if [[ -n "$QUICK" ]]; then
  JMH_ITER=(-f 1 -wi 1 -i 1 -w 1s -r 1s); CONV_ITER=("${JMH_ITER[@]}"); INPLACE_ITER=("${JMH_ITER[@]}")
  GEMM_SHAPES=(-p shape=128x128x128,256x400x120,16x300x150)
  TRAIN_LENET=(5 50 10 50); TRAIN_LENET2=(5 50); TRAIN_RESNET=(1 3); TRAIN_RESNET18=(1 1)
  TRAIN25_LENET=(5 50); TRAIN25_RESNET=(); CONV_ROUNDS=1
else
  JMH_ITER=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
  # two-thread convolutions are still being compiled after two 1 s warm-up iterations (the first
  # iterations of LeNet conv2 forward + backward take several times the steady time): five
  CONV_ITER=(-f 1 -wi 5 -i 3 -w 1s -r 1s); INPLACE_ITER=(-f 3 -wi 5 -i 3 -w 1s -r 1s)
  GEMM_SHAPES=()
  # (warm-up steps, timed steps[, heap checks]): medians over at least 50 steps, except ResNet-18,
  # whose steps take seconds; torch_bench.py's counts are its TRAIN_STEPS. Both also warm up for at
  # least 20 s, however many steps that takes (TrainingThroughput.WARMUP_NANOS says why)
  TRAIN_LENET=(10 1000 100 1000); TRAIN_LENET2=(10 100); TRAIN_RESNET=(10 50); TRAIN_RESNET18=(1 8)
  TRAIN25_LENET=(10 100); TRAIN25_RESNET=(10 30); CONV_ROUNDS=3
fi

# glibc's malloc hands a large freed block back to the kernel and maps a fresh one on the next call, so
# every call of a PyTorch op whose buffers are a few MB pays page faults for them: on one AVX-512 VM
# that made LeNet conv2's forward take 13 ms a call instead of 0.8. A PyTorch user who cares uses
# jemalloc or tcmalloc, or these two glibc settings, which keep freed blocks for reuse: the peer at its best.
TORCH_MALLOC=(MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824)
echo "torch_malloc=${TORCH_MALLOC[*]}" >> "$OUT/machine.txt"

log "JMH: GEMM"
"${JAVA[@]}" -jar "$JAR" GemmBenchmark "${JMH_ITER[@]}" "${GEMM_SHAPES[@]}" -rf json -rff "$OUT/gemm.json" > "$OUT/gemm.log" 2>&1
mark gemm
log "JMH: convolution (with -prof gc)"
"${JAVA[@]}" -jar "$JAR" ConvBenchmark "${CONV_ITER[@]}" -prof gc -rf json -rff "$OUT/conv.json" > "$OUT/conv.log" 2>&1
mark conv
# The convolution goals compare with PyTorch, which the run otherwise times half an hour later, and a
# shared machine's speed can drift over such spans (on one VM a layer took a fifth longer an hour
# later, with the same jar). So Kindling's and PyTorch's convolutions are also timed in rounds, each
# Kindling's layers followed at once by PyTorch's, and the goals take the median of the rounds' ratios.
for round in $(seq 1 "$CONV_ROUNDS"); do
  log "convolution against PyTorch, round $round of $CONV_ROUNDS"
  "${JAVA[@]}" -jar "$JAR" 'ConvBenchmark\.kindlingForward' "${CONV_ITER[@]}" \
    -rf json -rff "$OUT/conv-round-$round.json" > "$OUT/conv-round-$round.log" 2>&1
  env "${TORCH_MALLOC[@]}" $PYTHON benchmarks/torch_bench.py "$OUT/torch-conv-round-$round.json" $QUICK --conv-only
done
mark conv_rounds
log "JMH: pooling and batch norm (with -prof gc)"
"${JAVA[@]}" -jar "$JAR" PoolNormBenchmark "${JMH_ITER[@]}" -prof gc -rf json -rff "$OUT/poolnorm.json" > "$OUT/poolnorm.log" 2>&1
mark poolnorm
# Five warm-ups here too: a channel bias's backward sums with the Vector API, which runs many times
# slower until C2 has compiled it, and after two 1 s warm-ups its first measured iteration still did.
log "JMH: elementwise ops (with -prof gc)"
"${JAVA[@]}" -jar "$JAR" ElementwiseBenchmark -e 'InPlaceForward$' "${CONV_ITER[@]}" -prof gc -rf json -rff "$OUT/elementwise.json" > "$OUT/elementwise.log" 2>&1
# The in-place forward rows (relu_, add_) each take about a millisecond, and their times moved from one
# JVM to the next by more than the goal's margin (add_ on one thread: 0.92-0.97 ms in three forks,
# 1.47-1.78 in a fourth), so one fork decided the row. Three forks each, the report taking the median
# of all their iterations.
log "JMH: in-place elementwise forward rows, three forks each"
"${JAVA[@]}" -jar "$JAR" 'ElementwiseBenchmark\..*InPlaceForward$' "${INPLACE_ITER[@]}" -prof gc -rf json -rff "$OUT/elementwise-inplace.json" > "$OUT/elementwise-inplace.log" 2>&1

log "end to end: Kindling training steps"
: > "$OUT/train.jsonl"
train() { "${JAVA[@]}" "$1" -cp "$JAR" kindling.benchmarks.TrainingThroughput "${@:2}" 2>/dev/null >> "$OUT/train.jsonl"; }
# LeNet in -Xmx512m; at 1 thread long enough for the heap check at steps 100 and 1,000.
train -Xmx512m lenet 1 "${TRAIN_LENET[@]}"
train -Xmx512m lenet 2 "${TRAIN_LENET2[@]}"
# ResNet-18 in two JVMs whose steps report.py pools: its median over one JVM's 8 steps moved by a
# fifth from one JVM to the next with the same jar, more than the spread within a run.
for threads in 1 2; do
  train -Xmx2g resnet-small "$threads" "${TRAIN_RESNET[@]}"
  train -Xmx8g resnet18 "$threads" "${TRAIN_RESNET18[@]}"
  train -Xmx8g resnet18 "$threads" "${TRAIN_RESNET18[@]}"
done
mark kindling_training

if [[ ${#JAVA25[@]} -gt 0 ]]; then
  log "end to end on JDK 25: $("${JAVA25[@]}" -version 2>&1 | grep -v WARNING | sed -n 2p)"
  # Each JDK 25 row right after a JDK 17 row of the same model, steps and heap, which the comparison
  # uses: the machine's speed drifts over the minutes between the main JDK 17 rows and these.
  : > "$OUT/train-jdk25.jsonl"
  : > "$OUT/train-jdk17-beside-25.jsonl"
  train25() { "${JAVA25[@]}" "$1" -cp "$JAR" kindling.benchmarks.TrainingThroughput "${@:2}" 2>/dev/null >> "$OUT/train-jdk25.jsonl"; }
  train17() { "${JAVA[@]}" "$1" -cp "$JAR" kindling.benchmarks.TrainingThroughput "${@:2}" 2>/dev/null >> "$OUT/train-jdk17-beside-25.jsonl"; }
  for threads in 1 2; do
    train17 -Xmx512m lenet "$threads" "${TRAIN25_LENET[@]}"
    train25 -Xmx512m lenet "$threads" "${TRAIN25_LENET[@]}"
    if [[ ${#TRAIN25_RESNET[@]} -gt 0 ]]; then
      train17 -Xmx2g resnet-small "$threads" "${TRAIN25_RESNET[@]}"
      train25 -Xmx2g resnet-small "$threads" "${TRAIN25_RESNET[@]}"
    fi
  done
  mark kindling_training_jdk25
fi

log "PyTorch, right after, same machine (glibc keeps freed blocks: MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_)"
env "${TORCH_MALLOC[@]}" $PYTHON benchmarks/torch_bench.py "$OUT/torch.json" $QUICK

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo "duration_s=$SECONDS" >> "$OUT/machine.txt"
log "writing docs/performance.md"
$PYTHON benchmarks/report.py "$OUT" docs/performance.md
log "done: docs/performance.md"
