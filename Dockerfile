# The Sluice controller image (and the CLI: `docker run IMAGE version`), for machines with Docker and a registry.
# Where neither is at hand, deploy/image/build.sh builds the same image with buildah from scratch (docs/install.md).
#   docker build -t REGISTRY/sluice:0.2.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Sluice.Cli -c Release -r linux-x64 --self-contained -o /out

# Distroless: libc, libssl, CA certificates and nothing else (no shell, no package manager).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final
WORKDIR /app
COPY --from=build /out /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/app/sluice"]
CMD ["controller"]
