# syntax=docker/dockerfile:1.7
# rxvision edge-agent for x86-64 with an NVIDIA GPU: onnxruntime-node 1.30 with its CUDA and TensorRT
# execution providers (CUDA 12, cuDNN 9, TensorRT 10).
# Build from the repository root:
#   docker build -f deploy/docker/cuda.Dockerfile -t rxvision/edge-agent:cuda .
# Run (needs the NVIDIA Container Toolkit on the host):
#   docker run -d --gpus all --name edge-agent --restart unless-stopped \
#     -v "$PWD/config.yml:/etc/rxvision/config.yml:ro" -v rxvision-trt:/var/lib/rxvision \
#     -p 9464:9464 -p 8554:8554 rxvision/edge-agent:cuda
# and select the providers in the config: detectors.<name>.providers: [tensorrt, cuda, cpu].
# NOT BUILT OR RUN by the project's CI: see docs/deployment.md.

ARG NODE_VERSION=20
# A CUDA 12 runtime image with cuDNN 9. Any 12.x that your driver supports works (see nvidia-smi).
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
# TensorRT 10 runtime libraries from NVIDIA's CUDA apt repository (already configured in the CUDA image).
# Match ONNX Runtime's TensorRT requirement table for the onnxruntime-node version in package-lock.json.
ARG TENSORRT_PACKAGES="libnvinfer10 libnvinfer-plugin10 libnvonnxparsers10"

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter=@rxvision/edge-agent... \
 && npm prune --omit=dev --no-audit --no-fund
# onnxruntime-node's own installer fetches the CUDA/TensorRT provider libraries (NuGet
# Microsoft.ML.OnnxRuntime.Gpu.Linux, same version) into node_modules/onnxruntime-node/bin/.
# The environment variable overrides the repository's .npmrc, which skips it for CPU builds.
RUN ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js \
 && ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so \
       node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_tensorrt.so
ENV RXVISION_CACHE=/opt/rxvision/cache
RUN node apps/edge-agent/dist/cli.js models prepare

FROM node:${NODE_VERSION}-bookworm-slim AS node

FROM ${CUDA_IMAGE}
ARG TENSORRT_PACKAGES
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini ${TENSORRT_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/rxvision rxvision \
 && mkdir -p /etc/rxvision
# The official Node binary is built for old glibc and runs on Ubuntu 24.04 as is.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    RXVISION_CACHE=/opt/rxvision/cache \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,video
WORKDIR /opt/rxvision/app
COPY --from=build /src /opt/rxvision/app
COPY --from=build /opt/rxvision/cache /opt/rxvision/cache
RUN ln -s /opt/rxvision/app/apps/edge-agent/dist/cli.js /usr/local/bin/edge-agent \
 && chmod +x apps/edge-agent/dist/cli.js
USER rxvision
# TensorRT builds an engine per model and batch size on first start (minutes); keep its cache on a volume.
VOLUME /var/lib/rxvision
EXPOSE 9464 8554
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "edge-agent"]
CMD ["run", "--config", "/etc/rxvision/config.yml", "--http", "0.0.0.0:9464"]
