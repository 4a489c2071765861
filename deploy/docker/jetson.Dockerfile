# syntax=docker/dockerfile:1.7
# rxvision edge-agent for NVIDIA Jetson (Orin, arm64) on JetPack 6 (L4T r36: CUDA 12.6, cuDNN 9,
# TensorRT 10.3), with a GPU-enabled onnxruntime-node.
#
# Microsoft publishes no GPU build of onnxruntime-node for arm64 (the npm package bundles the CPU
# provider only) and the Jetson Zoo wheels are Python-only, so the documented way is ONNX Runtime's
# "NVIDIA Jetson" source build with --build_nodejs, done here in a builder stage. It takes 1-3 hours on
# an Orin; build on the device itself or on an arm64 host with the same JetPack:
#   docker build -f deploy/docker/jetson.Dockerfile -t rxvision/edge-agent:jetson .
# Build with --build-arg ORT_FROM_SOURCE=0 for a quick CPU-only image (same agent, no GPU inference).
# Run (the NVIDIA runtime is JetPack's default for containers):
#   docker run -d --runtime nvidia --name edge-agent --restart unless-stopped \
#     -v "$PWD/config.yml:/etc/rxvision/config.yml:ro" -v rxvision-trt:/var/lib/rxvision \
#     -p 9464:9464 -p 8554:8554 rxvision/edge-agent:jetson
# NOT BUILT OR RUN by the project's CI: see docs/deployment.md.

ARG L4T_IMAGE=nvcr.io/nvidia/l4t-jetpack:r36.4.0
ARG NODE_VERSION=20
# Must equal the onnxruntime-node version in package-lock.json: the JS API and the native binding pair up.
ARG ORT_VERSION=1.30.0
ARG ORT_FROM_SOURCE=1
# Orin is compute capability 8.7 (Xavier 7.2 on JetPack 5).
ARG CUDA_ARCHITECTURES=87

FROM node:${NODE_VERSION}-bookworm-slim AS node

FROM ${L4T_IMAGE} AS ort
ARG ORT_VERSION
ARG ORT_FROM_SOURCE
ARG CUDA_ARCHITECTURES
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
RUN mkdir -p /ort-out && if [ "$ORT_FROM_SOURCE" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends git python3-pip python3-dev build-essential \
   && pip3 install --no-cache-dir "cmake>=3.28" numpy packaging \
   && git clone --depth 1 --branch "v${ORT_VERSION}" --recursive https://github.com/microsoft/onnxruntime /onnxruntime \
   && cd /onnxruntime \
   && ./build.sh --config Release --update --build --parallel --skip_tests --build_shared_lib \
        --use_cuda --cuda_home /usr/local/cuda --cudnn_home /usr/lib/aarch64-linux-gnu \
        --use_tensorrt --tensorrt_home /usr/lib/aarch64-linux-gnu \
        --build_nodejs \
        --cmake_extra_defines CMAKE_CUDA_ARCHITECTURES=${CUDA_ARCHITECTURES} onnxruntime_BUILD_UNIT_TESTS=OFF \
   && cp -a js/node/bin/napi-v6/linux/arm64/. /ort-out/ \
   && ls /ort-out/onnxruntime_binding.node /ort-out/libonnxruntime_providers_cuda.so \
         /ort-out/libonnxruntime_providers_tensorrt.so; \
    fi

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter=@rxvision/edge-agent... \
 && npm prune --omit=dev --no-audit --no-fund
ENV RXVISION_CACHE=/opt/rxvision/cache
RUN node apps/edge-agent/dist/cli.js models prepare

FROM ${L4T_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/rxvision --groups video rxvision \
 && mkdir -p /etc/rxvision
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    RXVISION_CACHE=/opt/rxvision/cache
WORKDIR /opt/rxvision/app
COPY --from=build /src /opt/rxvision/app
COPY --from=build /opt/rxvision/cache /opt/rxvision/cache
# Replace the npm package's CPU-only arm64 binding with the GPU build (no-op when ORT_FROM_SOURCE=0).
COPY --from=ort /ort-out/ /opt/rxvision/app/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/
RUN ln -s /opt/rxvision/app/apps/edge-agent/dist/cli.js /usr/local/bin/edge-agent \
 && chmod +x apps/edge-agent/dist/cli.js
USER rxvision
VOLUME /var/lib/rxvision
EXPOSE 9464 8554
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "edge-agent"]
CMD ["run", "--config", "/etc/rxvision/config.yml", "--http", "0.0.0.0:9464"]
