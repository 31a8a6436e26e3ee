"""Issue building: select, section, write items, compute the 导读, render and save."""
