# Static binary in a distroless image, running as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/lead360 ./cmd/lead360

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lead360 /usr/local/bin/lead360
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/lead360"]
CMD ["serve"]
