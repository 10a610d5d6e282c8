# hindsight in a container: a static binary on distroless, running as a
# non-root user in /kb (mount the knowledge base there).
#
#   docker build -t hindsight --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) --build-arg DATE=$(git log -1 --format=%cI) .
#   docker run --rm -v "$PWD:/kb" hindsight check
#   docker run --rm -v "$PWD:/kb" hindsight build --out public
#
# The image has no git: "last updated" dates and check --since need it, so
# run those where git is installed.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=
ARG DATE=
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" -o /out/hindsight ./cmd/hindsight

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hindsight /usr/local/bin/hindsight
USER nonroot
WORKDIR /kb
ENTRYPOINT ["hindsight"]
CMD ["--help"]
