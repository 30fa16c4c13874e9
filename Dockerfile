# dealgraph's API and explorer as a service (see docker-compose.yml and docs/neo4j.md).
# The package is installed the way the README installs it: `pip install .` from the repo.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY . /src
RUN python -m pip install . \
    && useradd --create-home --uid 10001 dealgraph

USER dealgraph
WORKDIR /home/dealgraph
ENV DEALGRAPH_HOST=0.0.0.0 \
    DEALGRAPH_PORT=8000 \
    DEALGRAPH_DATA_DIR=/home/dealgraph/data
EXPOSE 8000

# Bound to 0.0.0.0, `dealgraph serve` refuses to start without DEALGRAPH_API_TOKEN.
CMD ["dealgraph", "serve"]
