"""Running LossLab for a class: replicas behind nginx (``deploy.classroom``), compose files."""
