-- score every customer nightly
select customer_id, churn_score(features) as score
from ${warehouse}.customers;
