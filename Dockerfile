# reconfd in a FROM scratch image: the glibc binary and exactly the shared
# libraries `ldd` lists for it (scripts/rootfs, the same layout that
# tests/e2e/scratch_test.ts runs with chroot). There is no shell in the image:
# give template resources argv-form commands (check_cmd = ["/path/to/prog", ...]).
#
#   docker build --build-arg RECONFD_COMMIT="$(git rev-parse --short=12 HEAD)" -t reconfd .
#   docker run --rm reconfd -version

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# The commit `reconfd -version` names (.git is not in the build context).
ARG RECONFD_COMMIT=unknown
RUN bash scripts/build glibc && bash scripts/rootfs /rootfs dist/reconfd

FROM scratch
COPY --from=build /rootfs/ /
ENTRYPOINT ["/usr/local/bin/reconfd"]
