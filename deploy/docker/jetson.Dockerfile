# syntax=docker/dockerfile:1.7
# rxvision edge-agent for NVIDIA Jetson (Orin, arm64) on JetPack 6 (L4T r36: CUDA 12.6, cuDNN 9,
# TensorRT 10.3): the detector's C API backend (runtime: onnxruntime-capi) on a libonnxruntime.so built
# with JetPack's CUDA and TensorRT. onnxruntime-node stays as npm ships it (CPU-only on arm64): no Node
# binding is built, the C API backend calls libonnxruntime.so directly through koffi.
#
# Microsoft publishes no GPU ONNX Runtime library for arm64 Linux (the Jetson Zoo builds are Python wheels),
# so the ort stage runs ONNX Runtime's documented Jetson build ("Build with execution providers → NVIDIA
# Jetson" on onnxruntime.ai) with --build_shared_lib in place of --build_wheel. It takes 1-3 hours on an
# Orin; build on the device itself or on an arm64 host with the same JetPack:
#   docker build -f deploy/docker/jetson.Dockerfile -t rxvision/edge-agent:jetson .
# If you already have such a library (your own build, or a JetPack container that ships libonnxruntime.so
# with libonnxruntime_providers_{shared,cuda,tensorrt}.so beside it), skip the build with
#   --build-arg ORT_FROM_SOURCE=0   and mount its folder at /opt/onnxruntime/lib when you run.
# Run (the NVIDIA runtime is JetPack's default for containers):
#   docker run -d --runtime nvidia --name edge-agent --restart unless-stopped \
#     -v "$PWD/config.yml:/etc/rxvision/config.yml:ro" -v rxvision-trt:/var/lib/rxvision \
#     -p 9464:9464 -p 8554:8554 rxvision/edge-agent:jetson
# and in the config, per detector:
#   runtime: onnxruntime-capi
#   runtime_library: /opt/onnxruntime/lib/libonnxruntime.so      (also in $RXVISION_ORT_LIB)
#   providers: [tensorrt, cuda, cpu]                              (tensorrt with fp16 and engine_cache_path)
# NOT BUILT OR RUN by the project's CI: see docs/deployment.md.

ARG L4T_IMAGE=nvcr.io/nvidia/l4t-jetpack:r36.4.0
ARG NODE_VERSION=20
# Any ONNX Runtime from 1.13 on works with the C API backend (no binding to pair with onnxruntime-node's JS);
# pick one whose TensorRT requirement (onnxruntime.ai, TensorRT Execution Provider) is JetPack's TensorRT.
ARG ORT_VERSION=1.30.0
ARG ORT_FROM_SOURCE=1
# Orin is compute capability 8.7 (Xavier 7.2 on JetPack 5).
ARG CUDA_ARCHITECTURES=87

FROM node:${NODE_VERSION}-bookworm-slim AS node

FROM ${L4T_IMAGE} AS ort
ARG ORT_VERSION
ARG ORT_FROM_SOURCE
ARG CUDA_ARCHITECTURES
# The library and its provider libraries go to /opt/onnxruntime/lib together: ORT loads the providers from
# the folder libonnxruntime.so is in.
RUN mkdir -p /opt/onnxruntime/lib && if [ "$ORT_FROM_SOURCE" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends git python3-pip python3-dev build-essential \
   && pip3 install --no-cache-dir "cmake>=3.28" numpy packaging \
   && git clone --depth 1 --branch "v${ORT_VERSION}" --recursive https://github.com/microsoft/onnxruntime /onnxruntime \
   && cd /onnxruntime \
   && PATH="/usr/local/cuda/bin:${PATH}" ./build.sh --config Release --update --build --parallel --skip_tests \
        --build_shared_lib \
        --use_cuda --cuda_home /usr/local/cuda --cudnn_home /usr/lib/aarch64-linux-gnu \
        --use_tensorrt --tensorrt_home /usr/lib/aarch64-linux-gnu \
        --cmake_extra_defines CMAKE_CUDA_ARCHITECTURES=${CUDA_ARCHITECTURES} onnxruntime_BUILD_UNIT_TESTS=OFF \
   && cp -a build/Linux/Release/libonnxruntime.so* build/Linux/Release/libonnxruntime_providers_*.so /opt/onnxruntime/lib/ \
   && ls /opt/onnxruntime/lib/libonnxruntime.so /opt/onnxruntime/lib/libonnxruntime_providers_shared.so \
         /opt/onnxruntime/lib/libonnxruntime_providers_cuda.so /opt/onnxruntime/lib/libonnxruntime_providers_tensorrt.so \
   && rm -rf /onnxruntime; \
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
    RXVISION_CACHE=/opt/rxvision/cache \
    RXVISION_ORT_LIB=/opt/onnxruntime/lib/libonnxruntime.so
WORKDIR /opt/rxvision/app
COPY --from=build /src /opt/rxvision/app
COPY --from=build /opt/rxvision/cache /opt/rxvision/cache
# The GPU libonnxruntime.so and its providers (an empty folder when ORT_FROM_SOURCE=0: mount yours there).
COPY --from=ort /opt/onnxruntime /opt/onnxruntime
RUN ln -s /opt/rxvision/app/apps/edge-agent/dist/cli.js /usr/local/bin/edge-agent \
 && chmod +x apps/edge-agent/dist/cli.js
USER rxvision
VOLUME /var/lib/rxvision
EXPOSE 9464 8554
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "edge-agent"]
CMD ["run", "--config", "/etc/rxvision/config.yml", "--http", "0.0.0.0:9464"]
