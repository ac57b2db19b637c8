"""Real data in: departments' Excel and CSV registers, checked, staged, reviewed, published, reversible.

The modules, each one step: ``intake`` (refusing what must not be read), ``files`` (finding the header,
reading in chunks), ``template`` (the Excel template of a register), ``validate`` (every error at once, values
normalised), ``annotate`` (the department's own workbook with each error marked; a .csv or .xls copied in
``annotate_copy``, the list and notes in ``marks``), ``batches`` (the batch table; its states in ``states``,
who may do what in ``rights``, the worker's heartbeat in ``workers``), ``stage`` (a file becomes a staged
batch), ``preview`` (what publishing would change), ``publish`` (publish, reject), ``versions`` (published
versions, and rolling them back) and ``figures`` (reported figures entered through the same review).
"""
