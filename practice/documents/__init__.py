"""Every PDF Fascia prints. ReportLab is imported here and nowhere else."""
