-- as Django 5.2 sends them

