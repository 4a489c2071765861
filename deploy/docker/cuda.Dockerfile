# syntax=docker/dockerfile:1.7
# rxvision edge-agent for x86-64 with an NVIDIA GPU: the detector's C API backend (runtime: onnxruntime-capi)
# on ONNX Runtime's GPU release (libonnxruntime.so with its CUDA and TensorRT providers beside it), CUDA 12,
# cuDNN 9 and TensorRT 10. onnxruntime-node stays CPU-only: its TensorRT/CUDA path takes a device id and no
# other option, so fp16, the engine cache and profiles go through the C API instead.
# Build from the repository root:
#   docker build -f deploy/docker/cuda.Dockerfile -t rxvision/edge-agent:cuda .
# Run (needs the NVIDIA Container Toolkit on the host):
#   docker run -d --gpus all --name edge-agent --restart unless-stopped \
#     -v "$PWD/config.yml:/etc/rxvision/config.yml:ro" -v rxvision-trt:/var/lib/rxvision \
#     -p 9464:9464 -p 8554:8554 rxvision/edge-agent:cuda
# and in the config, per detector:
#   runtime: onnxruntime-capi
#   runtime_library: /opt/onnxruntime/lib/libonnxruntime.so      (also in $RXVISION_ORT_LIB)
#   providers: [tensorrt, cuda, cpu]                              (tensorrt with fp16 and engine_cache_path)
# NOT BUILT OR RUN by the project's CI: see docs/deployment.md.

ARG NODE_VERSION=20
# ONNX Runtime's GPU release (GitHub releases: onnxruntime-linux-x64-gpu-<version>.tgz, CUDA 12 builds since 1.19;
# CUDA + TensorRT providers). Any version from 1.13 on works with the C API backend; check its release notes for
# the CUDA / cuDNN / TensorRT versions it was built against and match CUDA_IMAGE and TENSORRT_PACKAGES to them.
ARG ORT_VERSION=1.30.0
# A CUDA 12 runtime image with cuDNN 9. Any 12.x that your driver supports works (see nvidia-smi).
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
# TensorRT 10 runtime libraries from NVIDIA's CUDA apt repository (already configured in the CUDA image).
# Match ONNX Runtime's TensorRT requirement table (onnxruntime.ai, TensorRT Execution Provider) for ORT_VERSION.
ARG TENSORRT_PACKAGES="libnvinfer10 libnvinfer-plugin10 libnvonnxparsers10"

FROM debian:bookworm-slim AS ort
ARG ORT_VERSION
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
 && curl -fsSL "https://github.com/microsoft/onnxruntime/releases/download/v${ORT_VERSION}/onnxruntime-linux-x64-gpu-${ORT_VERSION}.tgz" \
    | tar -xz -C /opt \
 && mv "/opt/onnxruntime-linux-x64-gpu-${ORT_VERSION}" /opt/onnxruntime \
 && ls /opt/onnxruntime/lib/libonnxruntime.so /opt/onnxruntime/lib/libonnxruntime_providers_shared.so \
       /opt/onnxruntime/lib/libonnxruntime_providers_cuda.so /opt/onnxruntime/lib/libonnxruntime_providers_tensorrt.so

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter=@rxvision/edge-agent... \
 && npm prune --omit=dev --no-audit --no-fund
# .npmrc keeps onnxruntime-node's CUDA download skipped: the GPU providers come from ORT's release (stage ort).
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
    RXVISION_ORT_LIB=/opt/onnxruntime/lib/libonnxruntime.so \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,video
WORKDIR /opt/rxvision/app
COPY --from=build /src /opt/rxvision/app
COPY --from=build /opt/rxvision/cache /opt/rxvision/cache
# ORT loads its provider libraries from the folder libonnxruntime.so is in: keep lib/ whole, off LD_LIBRARY_PATH.
COPY --from=ort /opt/onnxruntime /opt/onnxruntime
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
