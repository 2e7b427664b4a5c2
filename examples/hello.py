"""A small Python host: a pandas DataFrame into q, a query, the answer back as pandas."""
import pandas as pd

import libq as kx

trades = pd.DataFrame({"sym": ["ibm", "msft", "ibm"], "price": [101.5, 410.25, 102.0],
                       "size": [100, 200, 300]})
vwap = kx.q("{select vwap:size wavg price by sym from x}", trades)
print(vwap.pd())
print(kx.q("til 5").np())
