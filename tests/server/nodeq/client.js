// node-q (npm), an independent kdb+ client, against the server under test: a sync query, a
// table, an error, an async message then a sync one. Prints one line per fact.
const nodeq = require("node-q");
const port = parseInt(process.argv[2], 10);
setTimeout(() => { console.log("timed out"); process.exit(2); }, 30000).unref();
nodeq.connect({ host: "localhost", port }, (err, con) => {
  if (err) { console.log("connect error", err.message); process.exit(1); }
  con.k("sum 1 2 3", (err, res) => {
    console.log("sum", err ? "error " + err.message : res);
    con.k("t", (err, res) => {
      console.log("t", err ? err.message : JSON.stringify(res));
      con.k("1+`a", (err, res) => {
        console.log("error", err ? err.message : res);
        con.ks("upd", [7], () => {
          con.k("last u`v", (err, res) => {
            console.log("async then sync", err ? err.message : res);
            con.close(() => process.exit(0));
          });
        });
      });
    });
  });
});
