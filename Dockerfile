# FrameScope as a hosted app: docker build -t framescope . && docker run -p 8501:8501 -v framescope-data:/data framescope
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FRAMESCOPE_HOME=/data

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin framescope \
    && mkdir -p /data \
    && chown framescope:framescope /data

WORKDIR /app
COPY requirements.txt constraints.txt ./
# constraints.txt: the exact versions the tests passed with (tools/constraints.py), so a rebuild installs the same
RUN pip install -r requirements.txt -c constraints.txt
COPY --chown=root:root . .
RUN pip install --no-deps -e .

USER framescope
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# .streamlit/config.toml (copied with the app) holds the hosting settings; mount secrets.toml for login:
#   -v "$PWD/secrets.toml:/app/.streamlit/secrets.toml:ro"
# hosted.py: dashboard.py behind st.App, Streamlit's /_stcore/metrics closed while login is on (docs/operations.md)
ENTRYPOINT ["streamlit", "run", "hosted.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
