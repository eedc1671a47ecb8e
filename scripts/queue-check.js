// Queue check for one family of GitHub Actions runners, run by a Datadog
// synthetics API test against PyTorch HUD's queued_jobs_by_label endpoint.
//
// The program puts the test's parameters before this text, as
//   const params = {"match": ..., "value": ..., "exclude": [...], "thresholdSeconds": ..., "label": ...};
// so that Datadog, the tests and a local runner all run the same bytes.
//
// Datadog's sandbox: no top-level `return`; a failure goes through dd.expect
// and its message through console.error. An unreachable or malformed HUD
// passes quietly: HUD's own uptime test reports it, and a queue alert about
// a broken data source would page for the wrong thing.
{
  const inFamily = (machineType) => {
    switch (params.match) {
      case 'startsWith':
        return machineType.startsWith(params.value);
      case 'contains':
        return machineType.includes(params.value);
      case 'equals':
        return machineType === params.value;
      default:
        return true;
    }
  };

  // A pattern that starts with ^ is an anchored regular expression, made
  // once; any other pattern is a substring.
  const patterns = params.exclude.map((pattern) => (pattern.startsWith('^') ? new RegExp(pattern) : pattern));
  const excluded = (machineType) =>
    patterns.some((pattern) =>
      typeof pattern === 'string' ? machineType.includes(pattern) : pattern.test(machineType));

  let rows = [];
  if (dd.response.statusCode !== 200) {
    console.log(`HUD answered HTTP ${dd.response.statusCode}; no queue data to check`);
  } else {
    let data = null;
    try {
      data = JSON.parse(dd.response.body);
    } catch (error) {
      console.log(`HUD answered with a body that is not JSON: ${error.message}`);
    }
    if (Array.isArray(data)) {
      // HUD sends avg_queue_s as a JSON number today; a number in a string
      // (ClickHouse's default for 64-bit integers) counts too, so that a
      // change of HUD's settings cannot silence every queue test.
      const seconds = (v) =>
        typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      rows = data
        .filter((row) => row !== null && typeof row === 'object' && typeof row.machine_type === 'string')
        .map((row) => ({ machine_type: row.machine_type, avg_queue_s: seconds(row.avg_queue_s) }))
        .filter((row) => Number.isFinite(row.avg_queue_s));
    } else if (data !== null) {
      console.log('HUD answered with JSON that is not a list of queue rows');
    }
  }

  const high = rows.filter((row) =>
    inFamily(row.machine_type) && !excluded(row.machine_type) && row.avg_queue_s > params.thresholdSeconds);
  let message = '';
  if (high.length > 0) {
    const details = high
      .map((row) => `${row.machine_type} (${(row.avg_queue_s / 3600).toFixed(1)}h)`)
      .join(', ');
    message = `High queue detected for machine types ${params.label}: ${details}`;
    console.error(message);
  }
  dd.expect(high.length === 0, message).to.be.true;
}
