# The course as a Jupyter image, for Binder (which builds a repository's root Dockerfile) and JupyterHub:
# the .NET 10 SDK, the course built, its kernelspec (.net-csharp, the name every chapter's metadata
# carries) installed for every user, and Debian's classic Jupyter Notebook, opening on chapter 00.
# README, "Containers", says what a hub operator passes for the namespace chapters to run live.
#
# BASE_IMAGE swaps the SDK image, as in .devcontainer/Dockerfile: the default is Microsoft's (Ubuntu 24.04);
# tools/containers.sh --local-base builds a Debian 12 one where no image registry is reachable.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
FROM ${BASE_IMAGE}

# EXTRA_PACKAGES: e.g. jupyterhub, whose jupyterhub-singleuser a hub's spawner starts (Debian packages it).
ARG EXTRA_PACKAGES=""
RUN set -eux; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        procps iproute2 util-linux libcap2-bin iperf3 \
        python3-nbformat jupyter-nbconvert python3-nbclient python3-jupyter-client jupyter-notebook \
        $EXTRA_PACKAGES; \
    rm -rf /var/lib/apt/lists/*

# Binder builds with NB_USER and NB_UID (1000) and runs the image as that user, from its home.
ARG NB_USER=jovyan
ARG NB_UID=1000
ENV USER=${NB_USER} NB_USER=${NB_USER} NB_UID=${NB_UID} HOME=/home/${NB_USER}
RUN set -eux; \
    existing="$(getent passwd "$NB_UID" | cut -d: -f1 || true)"; \
    if [ -n "$existing" ] && [ "$existing" != "$NB_USER" ]; then userdel --remove "$existing"; fi; \
    if ! id "$NB_USER" >/dev/null 2>&1; then useradd --create-home --shell /bin/bash --uid "$NB_UID" "$NB_USER"; fi

COPY --chown=${NB_UID} . ${HOME}
WORKDIR ${HOME}
USER ${NB_USER}
RUN dotnet build Course.sln --nologo --verbosity quiet

# The kernelspec and the chart extension for classic Notebook, system-wide (/usr/local/share/jupyter,
# /usr/local/etc/jupyter): a hub that mounts a volume over the home folder still finds them. Then the
# server opens on chapter 00 (Binder links can name another page with ?urlpath=).
USER root
RUN set -eux; \
    dotnet "${HOME}/artifacts/bin/CourseKernel/debug/CourseKernel.dll" install-jupyter-kernel --prefix /usr/local; \
    mkdir -p /etc/jupyter; \
    printf '%s\n' \
        "# The course opens on its first chapter." \
        "c.NotebookApp.default_url = '/notebooks/notebooks/00-start-here.ipynb'" \
        > /etc/jupyter/jupyter_notebook_config.py
USER ${NB_USER}

EXPOSE 8888
CMD ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser"]
