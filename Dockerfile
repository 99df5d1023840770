# Static binary in a distroless image, running as a non-root user.
# Versions are pinned so a rebuild gets the same toolchain; distroless
# publishes rolling tags only, so pin it by digest in your registry mirror
# (docs/operations.md).
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/lead360 ./cmd/lead360 \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lead360 /usr/local/bin/lead360
# The data directory holds the embedded database (when no PostgreSQL URL is
# set) and the key that seals survey links when LEAD360_SECRET_KEY is unset;
# it must belong to the non-root user so a named volume inherits that owner.
COPY --from=build --chown=65532:65532 /out/data /home/nonroot/data
ENV LEAD360_DATA_DIR=/home/nonroot/data
WORKDIR /home/nonroot
USER nonroot:nonroot
EXPOSE 8080
# The image has no shell or curl: the binary asks its own /readyz.
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/lead360", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lead360"]
CMD ["serve"]
