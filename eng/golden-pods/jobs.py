"""What to render: the corpus' deployments, or the kind cells' chart values.

A job is one deployment: its values files in helm's order (each with the path of the jupyterhub
chart's section inside it), the umbrella charts' own values.yaml under them, and where its golden
pods go. Paths are relative to the repository's root.
"""

import os

import yaml

import helm_values

CORPUS = "fixtures/deployments/corpus"
KIND = "fixtures/deployments/golden/kind"


def _entry(root, relative, section=None):
    if section is None:
        with open(os.path.join(root, relative)) as f:
            section = helm_values.find_section(yaml.safe_load(f) or {})
    return {"file": relative, "section": section}


def corpus_jobs(root):
    """Every corpus file is a deployment of its own, unless index.yaml says it is part of one
    (several files, or an umbrella chart's values.yaml under it); parents/ holds umbrella charts' values."""
    folder = os.path.join(root, CORPUS)
    index_path = os.path.join(folder, "index.yaml")
    index = {}
    if os.path.exists(index_path):
        with open(index_path) as f:
            index = (yaml.safe_load(f) or {}).get("deployments") or {}
    in_index = set()
    jobs = []
    for name, spec in sorted(index.items()):
        values = [_entry(root, f"{CORPUS}/{v}", spec.get("section")) for v in spec["values"]]
        parents = [_entry(root, f"{CORPUS}/{p['file']}", p["section"]) for p in spec.get("parents", [])]
        in_index.update(v["file"] for v in values)
        jobs.append({"name": name, "values": values, "parents": parents})
    for file in sorted(os.listdir(folder)):
        relative = f"{CORPUS}/{file}"
        if file.endswith(".yaml") and file != "index.yaml" and relative not in in_index:
            jobs.append({"name": file[: -len(".yaml")], "values": [_entry(root, relative)], "parents": []})
    return sorted(jobs, key=lambda j: j["name"])


def kind_jobs(root, hubs):
    """The values ChartValues wrote for each kind cell (KindGoldenValuesTests), for the cells of `hubs`."""
    jobs = []
    folder = os.path.join(root, KIND)
    for hub in sorted(hubs):
        hub_dir = os.path.join(folder, f"hub-{hub}")
        if not os.path.isdir(hub_dir):
            continue
        for dirpath, _, files in sorted(os.walk(hub_dir)):
            if "values.yaml" in files:
                cell = os.path.relpath(dirpath, folder)
                jobs.append({"name": cell, "values": [{"file": f"{KIND}/{cell}/values.yaml", "section": ""}], "parents": [], "single": "pod"})
    return jobs
