"""Renders golden pods: the chart's own jupyterhub_config.py and KubeSpawner's own get_pod_manifest().

Runs inside the renderer image (Dockerfile beside this file), one chart/KubeSpawner pair per run:

    python3 render.py --chart DIR --kubespawner DIR --pair pair.json --jobs corpus|kind --root REPO --out DIR

DIR of --chart and --kubespawner: `git archive` of jupyterhub/zero-to-jupyterhub-k8s and
jupyterhub/kubespawner at their tags (never part of this repository). The jobs (jobs.py): the
corpus' deployments, or the kind cells' values of the hubs that run this pair.
What it stubs, and only that: KubeSpawner's Kubernetes client (load_config, shared_client: no API
server is called), z2jh.py's three loaders (fed the coalesced values, the chart's resource names and
placeholder secrets), the hub's namespace file, and the Hub and User objects JupyterHub would pass.
"""

import argparse
import asyncio
import copy
import hashlib
import json
import logging
import os
import re
import secrets
import sys
import traceback

import yaml

import helm_values
import jobs as job_source

TOKEN_PLACEHOLDER = "<JUPYTERHUB_API_TOKEN>"
SECRET_PLACEHOLDER = "<secret {key}>"

# The one user every pod is rendered for: `-` is escaped by KubeSpawner 6 ({username} =
# student-2d1) and kept by KubeSpawner 7's safe slugs ({username} = student-1).
USER = {"name": "student-1", "id": 1, "server_name": ""}
RELEASE = "kr"
NAMESPACE = "kr"
HUB_SERVICE_PORT = "8081"
PROXY_API_SERVICE_PORT = "8001"


def alias_kubernetes_asyncio():
    """Debian's python3-kubernetes under the name kubernetes_asyncio: the same generated models and ApiClient."""
    import kubernetes
    import kubernetes.client
    import kubernetes.client.api_client
    import kubernetes.client.models
    import kubernetes.client.rest
    import kubernetes.config
    import kubernetes.watch

    for name, module in list(sys.modules.items()):
        if name == "kubernetes" or name.startswith("kubernetes."):
            sys.modules["kubernetes_asyncio" + name[len("kubernetes"):]] = module


def name_templates(values):
    """The chart's resource names (templates/_helpers-names.tpl) for release RELEASE, as the hub's ConfigMap has them."""
    override = values.get("fullnameOverride")
    if isinstance(override, str):
        fullname = override
    else:
        name = values.get("nameOverride") or "jupyterhub"
        fullname = RELEASE if name in RELEASE else f"{RELEASE}-{name}"
    dash = f"{fullname}-" if fullname else ""
    names = {"fullname": fullname, "fullname-dash": dash}
    for short in ("hub", "proxy", "autohttps", "user-scheduler-deploy", "user-placeholder", "hook-image-awaiter",
                  "hook-image-puller", "continuous-image-puller", "singleuser", "image-pull-secret"):
        names[short] = dash + (short.removesuffix("-deploy") if short == "user-scheduler-deploy" else short)
    names["user-scheduler-deploy"] = dash + "user-scheduler"
    names["proxy-api"] = names["proxy"] + "-api"
    names["proxy-public"] = names["proxy"] + "-public"
    names["priority"] = fullname or f"{RELEASE}-default-priority"
    names["user-scheduler"] = names["user-scheduler-deploy"] if fullname else f"{RELEASE}-user-scheduler"
    return names


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Student:
    """The user JupyterHub passes to a spawner: the attributes a spawner reads."""

    def __init__(self, base_url):
        self.name = USER["name"]
        self.id = USER["id"]
        self.escaped_name = USER["name"]
        self.url = f"{base_url}user/{USER['name']}/"
        self.base_url = self.url
        self.admin = False
        self.roles = []
        self.groups = []
        self.spawners = {}
        self.settings = {}


class Hub:
    """The hub as the chart configures it: hub_connect_url http://hub:8081, base_url /."""

    def __init__(self, connect_host):
        self.base_url = "/hub/"
        self.url = f"http://{connect_host}:{HUB_SERVICE_PORT}/hub/"
        self.api_url = f"http://{connect_host}:{HUB_SERVICE_PORT}/hub/api"
        self.public_host = ""
        self.host = ""
        self.ip = ""
        self.port = int(HUB_SERVICE_PORT)


def json_safe(value):
    """Trait values as JSON: Kubernetes models as the API would get them, callables by name."""
    from kubernetes.client import ApiClient

    if callable(value) and not isinstance(value, type):
        return {"callable": getattr(value, "__qualname__", repr(value))}
    if hasattr(value, "openapi_types"):
        return ApiClient().sanitize_for_serialization(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


# The spawner's settings after the profile that the pod does not show (or shows transformed),
# which a launch elsewhere needs to match it.
SPAWNER_TRAITS = [
    "image", "image_pull_policy", "cmd", "args", "default_url", "notebook_dir", "working_dir",
    "environment", "uid", "gid", "fs_gid", "supplemental_gids", "allow_privilege_escalation", "privileged",
    "container_security_context", "pod_security_context",
    "mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee", "extra_resource_limits", "extra_resource_guarantees",
    "volumes", "volume_mounts", "storage_pvc_ensure", "pvc_name_template", "storage_capacity", "storage_class",
    "storage_access_modes", "init_containers", "extra_containers", "lifecycle_hooks", "extra_container_config",
    "extra_pod_config", "extra_labels", "extra_annotations", "node_selector", "tolerations", "service_account",
    "automount_service_account_token", "pod_name_template", "start_timeout", "http_timeout", "port", "ip",
    "disable_user_config", "slug_scheme", "namespace", "pod_name", "pvc_name", "delete_grace_period",
    "modify_pod_hook", "pre_spawn_hook",
]


class Renderer:
    def __init__(self, args):
        self.args = args
        with open(args.pair) as f:
            self.pair = json.load(f)
        sys.path.insert(0, os.path.join(args.kubespawner))
        alias_kubernetes_asyncio()
        import jupyterhub
        import kubernetes
        import kubespawner
        import kubespawner.spawner as ks

        # No API server: KubeSpawner's client setup does nothing (FACTS: a dummy kubeconfig would do too).
        ks.load_config = lambda *a, **k: None
        ks.shared_client = lambda *a, **k: None
        # The hub pod's serviceaccount namespace file, which {hubnamespace} reads.
        ks.KubeSpawner._namespace_default = lambda self: NAMESPACE
        self.ks = ks
        self.versions = {
            "jupyterhub": jupyterhub.__version__,
            "kubespawner_reported": getattr(kubespawner, "__version__", None),
            "python_kubernetes": kubernetes.__version__,
            "python": sys.version.split()[0],
        }
        self.chart_hub_dir = os.path.join(args.chart, "jupyterhub", "files", "hub")
        with open(os.path.join(args.chart, "jupyterhub", "values.yaml")) as f:
            text = f.read()
        # A released chart's values.yaml has chartpress' tags set to the chart version.
        self.chart_defaults = yaml.safe_load(text.replace("set-by-chartpress", self.pair["chart"]["tag"]))
        with open(os.path.join(args.chart, "jupyterhub", "Chart.yaml")) as f:
            self.chart_meta = yaml.safe_load(f)
        with open(os.path.join(args.chart, "jupyterhub", "values.schema.yaml")) as f:
            self.schema = yaml.safe_load(f)

    # --- helm: the chart's values.schema.yaml ---------------------------------------------
    def schema_violation(self, values):
        """What helm says when the coalesced values break the chart's values.schema.yaml (JSON schema draft 7, as helm 3
        checks it), or None. The hub's own keys the tool adds (Chart, Release) are not in the values helm checks."""
        import jsonschema

        errors = sorted(jsonschema.Draft7Validator(self.schema).iter_errors(values), key=lambda e: list(e.absolute_path))
        if not errors:
            return None
        first = errors[0]
        path = ".".join(str(p) for p in first.absolute_path) or "(root)"
        return {"stage": "helm_schema", "exception": "ValidationError", "message": f"{path}: {first.message}",
                "where": "z2jh@jupyterhub/values.schema.yaml", "frames": [],
                "all": [f"{'.'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors][:20]}

    # --- the chart's jupyterhub_config.py ---------------------------------------------------
    def chart_config(self, values):
        """Runs the chart's jupyterhub_config.py with z2jh.py's loaders fed `values`; returns the traitlets Config."""
        from traitlets.config.loader import PyFileConfigLoader

        names = name_templates(values)
        secret_values = dict(values)
        secret_values["Chart"] = {"Name": "jupyterhub", "Version": self.pair["chart"]["tag"], "AppVersion": str(self.chart_meta.get("appVersion"))}
        secret_values["Release"] = {"Name": RELEASE, "Namespace": NAMESPACE, "Service": "Helm"}

        if self.chart_hub_dir not in sys.path:
            sys.path.insert(0, self.chart_hub_dir)
        sys.modules.pop("z2jh", None)
        import z2jh

        def get_config_value(key):
            if key not in names:
                raise Exception(f"/usr/local/etc/jupyterhub/config/{key} not found!")
            return names[key]

        def get_secret_value(key, default="never-explicitly-set"):
            if key.startswith("hub.config.") or key.startswith("hub.services."):
                return SECRET_PLACEHOLDER.format(key=key)
            if default != "never-explicitly-set":
                return default
            raise Exception(f"{key} not found in either k8s Secret!")

        z2jh._load_config = lambda: copy.deepcopy(secret_values)
        z2jh._get_config_value = get_config_value
        z2jh.get_secret_value = get_secret_value
        os.environ["POD_NAMESPACE"] = NAMESPACE
        os.environ[names["hub"].upper().replace("-", "_") + "_SERVICE_PORT"] = HUB_SERVICE_PORT
        os.environ[names["proxy-api"].upper().replace("-", "_") + "_SERVICE_PORT"] = PROXY_API_SERVICE_PORT
        loader = PyFileConfigLoader("jupyterhub_config.py", path=self.chart_hub_dir)
        return loader.load_config(), names

    # --- one spawner, one set of user options ----------------------------------------------
    async def render_pod(self, config, names, user_options):
        from jupyterhub.objects import Server

        ks = self.ks
        warnings = []

        class Collect(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.WARNING:
                    warnings.append(record.getMessage())

        log = logging.getLogger(f"golden-pods.{secrets.token_hex(4)}")
        log.addHandler(Collect())
        log.propagate = False
        stage = "spawner"
        try:
            hub = Hub(names["hub"])
            user = Student("/")
            spawner = ks.KubeSpawner(config=copy.deepcopy(config), user=user, hub=hub, name=USER["server_name"],
                                     orm_spawner=None, _mock=True, log=log)
            spawner.api_token = token = secrets.token_hex(16)
            # What JupyterHub's User gives the default server's spawner (jupyterhub/user.py _new_spawner).
            spawner.oauth_client_id = f"jupyterhub-user-{USER['name']}"
            spawner.server = Server(base_url=f"/user/{USER['name']}/", cookie_name=f"jupyterhub-user-{USER['name']}")
            spawner.user_options = copy.deepcopy(user_options)
            stage = "user_options"
            await spawner.load_user_options()
            stage = "pod"
            pod = await spawner.get_pod_manifest()
            from kubernetes.client import ApiClient

            manifest = ApiClient().sanitize_for_serialization(pod)
            pvc = ApiClient().sanitize_for_serialization(spawner.get_pvc_manifest()) if spawner.storage_pvc_ensure else None
        except Exception as e:  # noqa: BLE001 - every upstream refusal is data; ours is re-raised below
            return self.refusal(stage, e), warnings
        facts = {}
        for trait in SPAWNER_TRAITS:
            if hasattr(spawner, trait):
                facts[trait] = json_safe(getattr(spawner, trait))
        facts["get_args"] = json_safe(spawner.get_args())
        text = json.dumps({"pod": manifest, "pvc": pvc, "spawner": facts})
        assert token in text, "the API token should be in the pod's env"
        out = json.loads(text.replace(token, TOKEN_PLACEHOLDER))
        return out, warnings

    def refusal(self, stage, e):
        frames = traceback.extract_tb(e.__traceback__)
        inner = frames[-1] if frames else None
        where = f"{self.relative(inner.filename)}:{inner.lineno} in {inner.name}" if inner else ""
        # Our own bug is never an upstream refusal: an exception raised here, or a stand-in missing what upstream reads.
        if inner and inner.filename == os.path.abspath(__file__) or isinstance(e, AttributeError) and re.search(r"'(Student|Hub)' object", str(e)):
            raise e
        chain = [f"{self.relative(f.filename)}:{f.lineno} in {f.name}" for f in frames if not f.filename.endswith("render.py")]
        return {"refusal": {"stage": stage, "exception": type(e).__name__, "message": str(e), "where": where, "frames": chain[-6:]}}

    def relative(self, path):
        for root, label in ((self.args.kubespawner, "kubespawner@"), (self.args.chart, "z2jh@")):
            if path.startswith(root):
                return label + path[len(root):].lstrip("/")
        m = re.search(r"(site|dist)-packages/(.*)", path)
        return m.group(2) if m else path

    # --- a deployment: its profiles, options and choices -------------------------------------
    def renders(self, profile_list, single=None):
        """(file stem, profile index, user_options) for each render: every profile, each option's other
        choices one at a time (the rest at their defaults), and an unlisted choice where enabled.
        With `single` (a kind cell), first the cell's own spawn, which sends no user_options (KubeSpawner
        gives it the default profile), as `single`; then each other profile by its slug."""
        if not profile_list:
            yield single or "no-profile-list", None, {}
            return
        from slugify import slugify

        default = default_profile(profile_list)
        if single:
            yield single, default, {}
        for i, profile in enumerate(profile_list):
            if not isinstance(profile, dict) or single and i == default:
                continue
            slug = profile.get("slug") or slugify(profile.get("display_name", ""))
            yield slug, i, {"profile": slug}
            for option, spec in (profile.get("profile_options") or {}).items():
                choices = list((spec.get("choices") or {}).keys())
                default = next((c for c in choices if spec["choices"][c].get("default")), choices[0] if choices else None)
                for choice in choices:
                    if choice != default:
                        yield f"{slug}--{safe(option)}-{safe(choice)}", i, {"profile": slug, option: choice}
                unlisted = spec.get("unlisted_choice") or {}
                if unlisted.get("enabled"):
                    value = unlisted_value(unlisted.get("validation_regex"))
                    if value is not None:
                        yield f"{slug}--{safe(option)}-unlisted", i, {"profile": slug, f"{option}--unlisted-choice": value}

    def deployment(self, job):
        layers = [(self.load(p["file"]), p["section"]) for p in job.get("parents", [])]
        users = [(self.load(v["file"]), v["section"]) for v in job["values"]]
        values = helm_values.layered(self.chart_defaults, layers, users)
        out_dir = os.path.join(self.args.out, job["name"])
        job_values = job.get("parents", []) + job["values"]
        os.makedirs(out_dir, exist_ok=True)
        meta = {
            "format": "kr-golden-pod/1",
            "chart": self.pair["chart"],
            "kubespawner": self.pair["kubespawner"],
            "versions": self.versions,
            "renderer": self.pair.get("renderer"),
            "values": [dict(v, role="parent-chart" if v in job.get("parents", []) else "user", sha256=sha256(os.path.join(self.args.root, v["file"])))
                       for v in job_values],
            "user": dict(USER, namespace=NAMESPACE, release=RELEASE, hub_api_url=Hub(name_templates(values)["hub"]).api_url,
                         server_base_url=f"/user/{USER['name']}/", api_token=TOKEN_PLACEHOLDER),
        }
        written = []
        schema_error = self.schema_violation(values)
        if schema_error:
            # helm refuses the install before any template or hub exists.
            record = dict(meta, kind="refusal", profile=None, user_options=None, refusal=schema_error)
            written.append(self.write(out_dir, "helm-schema", record))
            return written
        try:
            config, names = self.chart_config(values)
        except Exception as e:  # noqa: BLE001
            record = dict(meta, kind="refusal", profile=None, user_options=None, **self.refusal("chart_config", e))
            written.append(self.write(out_dir, "chart-config", record))
            return written
        profile_list = config.KubeSpawner.get("profile_list") if "profile_list" in config.KubeSpawner else []
        if callable(profile_list):
            record = dict(meta, kind="skipped", reason="profile_list is a callable (hub.extraConfig): its profiles are known only to a running hub")
            written.append(self.write(out_dir, "profile-list-callable", record))
            return written
        for stem, index, options in self.renders(profile_list, job.get("single")):
            rendered, warnings = asyncio.run(self.render_pod(config, names, options))
            profile = None
            if index is not None:
                from slugify import slugify

                p = profile_list[index]
                slug = options.get("profile") or p.get("slug") or slugify(p.get("display_name", ""))
                profile = {"index": index, "slug": slug, "display_name": p.get("display_name"), "default": bool(p.get("default"))}
            record = dict(meta, kind="refusal" if "refusal" in rendered else "pod", profile=profile, user_options=options,
                          warnings=warnings, **rendered)
            written.append(self.write(out_dir, stem, record))
        return written

    def write(self, out_dir, stem, record):
        path = os.path.join(out_dir, stem + ".json")
        with open(path, "w") as f:
            json.dump(record, f, indent=2, sort_keys=False)
            f.write("\n")
        return path, record["kind"]

    def load(self, relative):
        with open(os.path.join(self.args.root, relative)) as f:
            return yaml.safe_load(f) or {}


def default_profile(profile_list):
    """The index of the profile a spawn naming none gets: the first marked default, else the first
    (KubeSpawner's _get_initialized_profile_list and _get_profile)."""
    return next((i for i, p in enumerate(profile_list) if isinstance(p, dict) and p.get("default")), 0)


def safe(s):
    return re.sub(r"[^A-Za-z0-9._-]", "_", str(s))


# Text an unlisted choice is rendered with: the first one its validation_regex accepts (re.match, as KubeSpawner).
UNLISTED_SAMPLES = ["example.org/course/notebook:2026.12", "quay.io/jupyter/scipy-notebook:2024-12-02", "4", "2G", "main"]


def unlisted_value(regex):
    for sample in UNLISTED_SAMPLES:
        if not regex or re.match(regex, sample):
            return sample
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chart", required=True)
    parser.add_argument("--kubespawner", required=True)
    parser.add_argument("--pair", required=True)
    parser.add_argument("--jobs", required=True, choices=["corpus", "kind"])
    parser.add_argument("--root", required=True, help="the folder the jobs' file paths are relative to")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    renderer = Renderer(args)
    if args.jobs == "corpus":
        jobs = job_source.corpus_jobs(args.root)
    else:
        jobs = job_source.kind_jobs(args.root, renderer.pair["kind_hubs"])
    counts = {}
    for job in jobs:
        for path, kind in renderer.deployment(job):
            counts[kind] = counts.get(kind, 0) + 1
            print(f"{kind:8} {os.path.relpath(path, args.out)}")
    print("rendered: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
