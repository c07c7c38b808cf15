"""A course's paperwork and money: the lecturers' registry, each province's rates, payment lists, the dossier."""
